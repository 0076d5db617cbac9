"""The reference docs in docs/ exist, and name every setting and every route the app has."""

from __future__ import annotations

import re
from dataclasses import replace

from ascc_bot.server import build_app

from conftest import ROOT

DOCS = ROOT / "docs"


def test_every_cited_doc_exists():
    cited = set()
    for path in [ROOT / "README.md", *ROOT.glob("ascc_bot/*.py"), *ROOT.glob("bots/*.py"), *ROOT.glob("tests/*.py")]:
        cited |= set(re.findall(r"\bdocs/[\w.-]+\.md\b", path.read_text(encoding="utf-8")))
    assert {"docs/sections.md", "docs/api.md"} <= cited
    for name in cited:
        assert (ROOT / name).is_file(), f"{name} is cited but missing"


def test_settings_doc_names_every_setting():
    read = set(re.findall(r'"(ASCC_[A-Z_]+)"', (ROOT / "ascc_bot" / "config.py").read_text(encoding="utf-8")))
    documented = set(re.findall(r"`(ASCC_[A-Z_]+)`", (DOCS / "settings.md").read_text(encoding="utf-8")))
    assert read and read <= documented, sorted(read - documented)


def test_api_doc_names_every_route(engine, settings, tmp_path):
    full = replace(settings, data_dir=tmp_path, admin_token="t" * 16,
                   telegram_token="123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
                   telegram_webhook_url="https://x.example/webhooks/telegram",
                   zalo_token="1234567890:AbCdEfGhIjKlMnOpQrStUvWxYz",
                   zalo_webhook_url="https://x.example/webhooks/zalo")
    app = build_app(full, engine)
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    missing = []
    for route in app.routes:
        path = getattr(route, "path", "")
        # a path is documented literally, or its static part is (``/ui/{name}`` lists the names)
        static = path.split("{")[0].rstrip("/") or path
        if path not in text and static not in text:
            missing.append(path)
    assert not missing, missing
