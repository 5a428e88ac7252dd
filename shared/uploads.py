"""Uploaded files waiting between an import's preview and its confirmation.

The file's bytes stay on the server (NTM_IMPORT_TMP_DIR) under a random name; the page carries
only a signed token naming it, its owner and what it is for, so a confirmation re-reads and
re-checks exactly the file that was previewed, never data sent back by the browser.
"""

import secrets
import time

from django.conf import settings
from django.core import signing

SALT = "shared.uploads"
MAX_AGE = 60 * 60  # seconds a preview stays confirmable
_STALE = 24 * 60 * 60


def _directory():
    path = settings.NTM_IMPORT_TMP_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_stale(directory):
    cutoff = time.time() - _STALE
    for old in directory.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def upload_keep(*, user, purpose, filename, data, extra=None):
    """Store `data` and return the signed token that gives it back to the same user."""
    directory = _directory()
    _clean_stale(directory)
    key = secrets.token_hex(16)
    (directory / f"{key}.upload").write_bytes(data)
    payload = {"key": key, "user": user.pk, "purpose": purpose, "name": filename, "extra": extra or {}}
    return signing.dumps(payload, salt=SALT)


def upload_take(*, token, user, purpose):
    """(filename, bytes, extra) for a token issued to `user` for `purpose`, removing the file; None if
    the token is forged, expired, someone else's or already used."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("user") != user.pk or payload.get("purpose") != purpose:
        return None
    path = _directory() / f"{payload['key']}.upload"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    return payload["name"], data, payload["extra"]
