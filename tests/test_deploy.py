"""The shipped deployment files agree with the code: every setting documented, the units' commands
accepted by the real command line, systemd waiting longer than a graceful stop."""

from __future__ import annotations

import re
import shlex

import pytest

from ascc_bot.cli import build_parser
from ascc_bot.config import Settings

from servers import DEPLOY, ROOT


def unit(name: str) -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), value.strip())
    return values


def test_every_setting_is_in_the_env_example():
    read = set(re.findall(r'_env\("(ASCC_[A-Z_]+)"', (ROOT / "ascc_bot" / "config.py").read_text(encoding="utf-8")))
    example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"(?m)^#?(ASCC_[A-Z_]+)=", example))
    assert read and read <= documented, sorted(read - documented)


@pytest.mark.parametrize("name, instance", [("ascc-bot@.service", "8001"), ("ascc-bot-polling@.service", "telegram"),
                                            ("ascc-bot-polling@.service", "zalo")])
def test_the_units_run_commands_the_cli_accepts(name, instance):
    command = unit(name)["ExecStart"].replace("%i", instance).replace("${ASCC_BIND}", "127.0.0.1")
    binary, *args = shlex.split(command)
    assert binary == "/opt/ascc-bot/.venv/bin/ascc-bot"
    parsed = build_parser().parse_args(args)
    if instance == "8001":
        assert parsed.port == 8001 and parsed.host == "127.0.0.1"
    else:
        assert parsed.command == instance and parsed.polling


def test_systemd_waits_longer_than_a_graceful_stop():
    assert int(unit("ascc-bot@.service")["TimeoutStopSec"]) > Settings().graceful_timeout_s
