"""Secrets the server must read back, kept sealed in the database (ASVS 6.2.1, 6.4.1).

A TOTP secret cannot be hashed like a password: the server needs it to compute the codes.
Stored in clear, a copy of the database would let its reader make any staff member's codes.
So it is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the app's
SECRET_KEY, which never enters the database, for one purpose only. Each value is bound to
its owner (a user's id): copied onto another row, it does not open.

Changing SECRET_KEY therefore leaves every sealed value unopenable: those staff sign in with
a recovery code, or an admin resets their second factor (docs/security.md).

Pure functions of their arguments, so a migration can seal what an older version stored.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1."  # the format: VERSION + base64url(nonce + ciphertext + tag)
NONCE_BYTES = 12


class Unsealable(ValueError):
    """The value was sealed under another key or for another owner, or was altered."""


def _key(secret_key: str, purpose: str) -> bytes:
    derive = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return derive.derive(secret_key.encode())


def _bound_to(purpose: str, owner: str) -> bytes:
    return f"{purpose}\n{owner}".encode()


def is_sealed(stored: str) -> bool:
    return stored.startswith(VERSION)


def seal(secret_key: str, purpose: str, owner: str, plaintext: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(secret_key, purpose)).encrypt(
        nonce, plaintext.encode(), _bound_to(purpose, owner)
    )
    return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(secret_key: str, purpose: str, owner: str, stored: str) -> str:
    if not is_sealed(stored):
        raise Unsealable("not a sealed value")
    try:
        raw = base64.urlsafe_b64decode(stored[len(VERSION) :].encode())
        nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        opened = AESGCM(_key(secret_key, purpose)).decrypt(nonce, sealed, _bound_to(purpose, owner))
    except (InvalidTag, binascii.Error, ValueError) as failure:
        raise Unsealable("does not open with this key for this owner") from failure
    return opened.decode()
