"""Secrets kept in the database sealed (ASVS V6.2): Fernet, i.e. AES-128-CBC with HMAC-SHA256.

The keys come from ``DATA_ENCRYPTION_KEYS`` (comma-separated Fernet keys: the first seals,
every one opens, so a key can be rotated), or else are derived from ``SECRET_KEY`` with HKDF.
A database dump alone then gives no staff member's second factor away.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"jianxi: secrets sealed at rest"


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from the app's secret key."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(raw)


def _fernet() -> MultiFernet:
    keys = current_app.config.get("DATA_ENCRYPTION_KEYS") or [
        derived_key(current_app.config["SECRET_KEY"])
    ]
    return MultiFernet([Fernet(key) for key in keys])


def seal(text: str) -> str:
    """The text encrypted and authenticated, as ASCII."""
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    """The text of a sealed token; ValueError when no key opens it or it was altered."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("a sealed secret could not be opened with the configured keys") from error
