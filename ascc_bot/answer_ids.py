"""Answer ids the server can recognise as its own: a random part and its HMAC.

Feedback is accepted only for an ``answer_id`` that /api/ask issued, without keeping a list
of issued ids: the id carries its own proof. The key is ``ASCC_SECRET_KEY``; when unset, one
is generated once and kept in ``ASCC_DATA_DIR/secret.key`` so that ids survive restarts.
Replicas behind one balancer must share the key (the setting, or the same data folder).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
from pathlib import Path

from .config import Settings

KEY_FILE = "secret.key"
_NONCE_HEX = 16
_MAC_HEX = 16  # 64 bits: forging one needs ~2^63 tries against a rate-limited route
_SHAPE = re.compile(rf"^[0-9a-f]{{{_NONCE_HEX}}}-[0-9a-f]{{{_MAC_HEX}}}$")
_keys: dict[tuple[str, str], bytes] = {}
log = logging.getLogger(__name__)
_keys_lock = threading.Lock()


def secret_key(settings: Settings) -> bytes:
    """The configured key, or the one kept under the data folder (made on first use)."""
    cache_key = (settings.secret_key, str(Path(settings.data_dir).resolve()))
    with _keys_lock:
        if cache_key not in _keys:
            _keys[cache_key] = settings.secret_key.encode() if settings.secret_key else _stored_key_or_own(settings)
        return _keys[cache_key]


def _stored_key_or_own(settings: Settings) -> bytes:
    try:
        return _stored_key(settings.data_dir)
    except OSError as exc:  # a read-only data folder: answers still come, their ids last as long as the process
        log.warning("cannot keep the answer-id key in %s (%s); set ASCC_SECRET_KEY", settings.data_dir, exc)
        return secrets.token_hex(32).encode()


def _stored_key(data_dir: Path) -> bytes:
    path = Path(data_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of two processes starting at once, one writes the key and both then read it
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
            out.flush()
            os.fsync(out.fileno())
    key = path.read_text().strip()
    if not key:  # a writer that died between create and write
        path.unlink(missing_ok=True)
        return _stored_key(data_dir)
    return key.encode()


def _mac(key: bytes, nonce: str) -> str:
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()[:_MAC_HEX]


def issue_answer_id(settings: Settings) -> str:
    nonce = secrets.token_hex(_NONCE_HEX // 2)
    return f"{nonce}-{_mac(secret_key(settings), nonce)}"


def is_issued(settings: Settings, answer_id: str) -> bool:
    """True only for an id made by ``issue_answer_id`` with this server's key."""
    if not _SHAPE.match(answer_id):
        return False
    nonce, mac = answer_id.split("-")
    return hmac.compare_digest(mac, _mac(secret_key(settings), nonce))
