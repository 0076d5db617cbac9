"""Real servers on 127.0.0.1 for the tests, started and stopped by fixtures.

- ``RedisServer``: Debian's ``redis-server``, no persistence, its own port;
- ``Nginx``: Debian's ``nginx`` running ``deploy/nginx/ascc-bot.conf`` as shipped, with the two
  substitutions documented in that file (the listen address, the cache folder) and the replicas
  file written from ``deploy/nginx/ascc-bot-upstream.conf`` with the test's ports;
- ``Postgres``: a throwaway PostgreSQL 15 cluster (``initdb`` as the ``postgres`` user into a temp
  folder it owns, its own port, ``pg_ctl start/stop``);
- ``Replica``: an ``ascc-bot serve`` process, its JSON log in a file.

``make test`` installs the binaries (target ``servers``); a missing one fails the test with the
reason, it never skips.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
REDIS_SERVER = Path("/usr/bin/redis-server")
NGINX = Path("/usr/sbin/nginx")
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(binary: Path, package: str) -> Path:
    if not binary.exists():
        pytest.fail(f"{binary} is missing: `make test` installs it (apt-get install {package}); "
                    "these tests need the real server")
    return binary


def wait_until(check, timeout_s: float, what: str, interval_s: float = 0.05):
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not within {timeout_s} s")
        time.sleep(interval_s)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout_s: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


# ---------------------------------------------------------------- Redis


class RedisServer:
    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.binary = require(REDIS_SERVER, "redis-server")
        self.workdir, self.port = workdir, port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [str(self.binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--loglevel", "warning", "--logfile", str(self.workdir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.ping(), 10, f"redis-server on port {self.port}")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None


@pytest.fixture()
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


# ---------------------------------------------------------------- nginx


class Nginx:
    """The shipped config in front of the given replicas."""

    def __init__(self, workdir: Path, upstream_ports: list[int]) -> None:
        self.binary = require(NGINX, "nginx")
        self.workdir, self.port = workdir, free_port()
        self.upstream_ports = upstream_ports
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def render(self) -> Path:
        """The nginx.conf of this run: Debian's main-file essentials and the shipped site file."""
        w = self.workdir
        for sub in ("logs", "tmp", "cache"):
            (w / sub).mkdir(parents=True, exist_ok=True)
        site = render_site(self.port, w / "cache")
        (w / "ascc-bot.conf").write_text(site, encoding="utf-8")
        (w / "ascc-bot-upstream.conf").write_text(render_upstream(self.upstream_ports), encoding="utf-8")
        user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read the temp folders below
        main = f"""{user}worker_processes 1;
pid {w}/nginx.pid;
error_log {w}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    log_format ids '$remote_addr $request_id $status $upstream_addr';
    access_log {w}/logs/access.log ids;
    client_body_temp_path {w}/tmp/body;
    proxy_temp_path {w}/tmp/proxy;
    fastcgi_temp_path {w}/tmp/fastcgi;
    uwsgi_temp_path {w}/tmp/uwsgi;
    scgi_temp_path {w}/tmp/scgi;
    include ascc-bot.conf;
}}
"""
        conf = w / "nginx.conf"
        conf.write_text(main, encoding="utf-8")
        return conf

    def start(self) -> Nginx:
        conf = self.render()
        check = subprocess.run([str(self.binary), "-t", "-p", str(self.workdir), "-c", str(conf)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([str(self.binary), "-p", str(self.workdir), "-c", str(conf),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until(lambda: port_open(self.port), 10, f"nginx on port {self.port}")
        return self

    def stop(self) -> None:
        _stop(self.proc, signal.SIGQUIT)  # graceful: finish requests in flight
        self.proc = None


def render_site(port: int, cache_dir: Path) -> str:
    """``deploy/nginx/ascc-bot.conf`` with its documented substitutions: listen address, cache folder."""
    text = (DEPLOY / "nginx" / "ascc-bot.conf").read_text(encoding="utf-8")
    text, n_listen = re.subn(r"(?m)^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{port};", text)
    text, n_cache = re.subn(r"/var/cache/nginx/ascc-bot\b", str(cache_dir), text)
    assert n_listen == 1 and n_cache == 1, "deploy/nginx/ascc-bot.conf changed shape: update render_site"
    return text


def render_upstream(ports: list[int]) -> str:
    """The example replicas file, one ``server`` line per test replica with the example's parameters."""
    example = (DEPLOY / "nginx" / "ascc-bot-upstream.conf").read_text(encoding="utf-8")
    servers = re.findall(r"(?m)^\s*server 127\.0\.0\.1:\d+(.*);", example)
    assert servers, "deploy/nginx/ascc-bot-upstream.conf lists no server"
    return "".join(f"server 127.0.0.1:{p}{servers[0]};\n" for p in ports)


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    """A cluster of its own in a temp folder owned by ``postgres`` (initdb refuses to run as root)."""

    def __init__(self, port: int | None = None, *, durable: bool = False) -> None:
        """``durable``: every commit synced to the disk, as in production (benchmarks); tests skip the syncs."""
        self.durable = durable
        self.initdb = require(PG_BIN / "initdb", "postgresql-15")
        self.pg_ctl = require(PG_BIN / "pg_ctl", "postgresql-15")
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ascc-pg-"))
        self.data = self.dir / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*as_postgres, *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{args[0]} failed: {result.stdout}\n{result.stderr}"
        return result

    def init(self) -> Postgres:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o700)
        self._run(str(self.initdb), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        return self

    def start(self) -> Postgres:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.pg_ctl), "-D", str(self.data), "-o", options, "-l", str(self.dir / "server.log"),
                  "-w", "-t", "30", "start")
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.pg_ctl), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def new_database(self) -> str:
        """The URL of a new, empty database in this cluster."""
        import psycopg

        name = f"ascc_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture()
def postgres() -> Iterator[Postgres]:
    """A cluster of the test's own, which it may stop and start."""
    cluster = Postgres().init().start()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Postgres]:
    cluster = Postgres().init().start()
    yield cluster
    cluster.remove()


@pytest.fixture()
def postgres_url(postgres_cluster) -> Iterator[str]:
    """An empty database of the test's own in the session's cluster; this process's pools closed after."""
    from ascc_bot.database import close_databases

    yield postgres_cluster.new_database()
    close_databases()


# ---------------------------------------------------------------- ascc-bot serve


class Replica:
    """``ascc-bot serve`` as a process of its own, as systemd would run it."""

    def __init__(self, workdir: Path, env: dict[str, str], port: int | None = None, workers: int = 1,
                 name: str = "replica") -> None:
        self.workdir, self.port, self.workers, self.name = workdir, port or free_port(), workers, name
        self.env = {**os.environ, "ASCC_LOG_FORMAT": "json", **env}
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}-{self.starts}.log"

    def start(self) -> Replica:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ascc_bot.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers)], env=self.env, cwd=self.workdir, stdout=log, stderr=log)
        return self

    def wait_ready(self, timeout_s: float = 60) -> Replica:
        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited {self.proc.returncode}:\n{self.log_path.read_text()}")
            try:
                return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(ready, timeout_s, f"{self.name} ready", interval_s=0.1)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        proc, self.proc = self.proc, None
        _stop(proc, sig, timeout_s=30)
        return proc.returncode if proc else None

    def log_lines(self, start: int | None = None) -> list[dict]:
        """The JSON lines of one start's log (the latest by default)."""
        path = self.workdir / f"{self.name}-{start or self.starts}.log"
        lines = []
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if raw.startswith("{"):
                lines.append(json.loads(raw))
        return lines

    def answered(self, start: int | None = None) -> list[dict]:
        return [e for e in self.log_lines(start) if e.get("logger") == "ascc_bot.access"
                and e.get("path") == "/api/ask"]
