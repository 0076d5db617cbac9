"""The install as a new user meets it: `make run` restarts with no package registry in reach once
the package is installed, and the package builds without setuptools warnings."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import httpx
import pytest

from conftest import ROOT, free_port

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def test_the_package_builds_quietly_with_its_static_files(tmp_path):
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    for package in ("ascc_bot", "bots"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
                            str(tmp_path / "dist"), str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    output = built.stdout + built.stderr
    assert "is absent from the `packages` configuration" not in output, output[-3000:]
    wheel = next((tmp_path / "dist").glob("ascc_bot-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for static in ("widget.js", "viewer.css", "viewer.js", "pages.css", "swagger-init.js", "demo.html"):
        assert f"ascc_bot/static/{static}" in names, static
    assert "bots/commands.py" in names


def test_make_run_restarts_offline_after_an_install(settings, engine, tmp_path):
    """engine: the session's index is built, so the server starts in seconds."""
    installed = subprocess.run(["make", "install"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    offline = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "", "PIP_CONFIG_FILE": os.devnull,
               "PIP_INDEX_URL": "http://127.0.0.1:9/simple/",  # a closed port: nothing can be downloaded
               "ASCC_CORPUS_DIR": str(settings.corpus_dir), "ASCC_INDEX_DIR": str(settings.index_dir),
               "ASCC_DATA_DIR": str(tmp_path / "data")}
    port = free_port()
    log_path = tmp_path / "make-run.log"
    log = log_path.open("w")
    proc = subprocess.Popen(["make", "run", "HOST=127.0.0.1", f"PORT={port}"], cwd=ROOT, env=offline,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"make run exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.2)
        assert "pip install" not in log_path.read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_a_changed_pyproject_reinstalls(tmp_path):
    """The stamp is older than pyproject.toml after an edit: make would install again (dry run)."""
    stamp = ROOT / ".venv" / ".installed"
    if not stamp.exists():
        pytest.skip("no install stamp yet")
    dry = subprocess.run(["make", "-n", "run", "-W", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert "pip install --quiet -e ." in dry.stdout
    assert "pip install" not in subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True,
                                               timeout=60).stdout
