"""Personal data at rest: values encrypted with a key kept outside the database, found by a keyed hash.

One field key (32 random bytes, `BOLE_FIELD_KEY` or the file `field_key` in the data dir, made once) gives two
sub-keys: one encrypts (AES-256-GCM, a fresh nonce per value) and one hashes (HMAC-SHA256) a value into a stable
digest for lookups and unique constraints. A database dump or backup without the key holds neither the values
nor anything that can be checked against a guessed value.

`EncryptedCharField` stores a text field encrypted and reads it back in clear, so code reads `person.id_number`
as before; the database can no longer compare it, so every lookup but `= ''` and `IS NULL` raises: find rows
by the digest column beside it (`digest(value, purpose)`). Its `mask` says how audit rows and pages show it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull

PREFIX = "v1:"  # the format of stored values, so a later key or cipher can be told apart
_NONCE = 12


def _decode_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured("BOLE_FIELD_KEY must be 32 random bytes in URL-safe base64")
    return key


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[AESGCM, bytes]:
    raw = _decode_key(master)

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)

    return AESGCM(derive(b"bole field encryption")), derive(b"bole field digest")


def _current() -> tuple[AESGCM, bytes]:
    return _keys(settings.BOLE_FIELD_KEY)


def encrypt(value: str) -> str:
    """The stored form of a value: PREFIX + base64(nonce + ciphertext + tag)."""
    nonce = os.urandom(_NONCE)
    sealed = _current()[0].encrypt(nonce, value.encode(), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    """The clear value of a stored one; raises on a value sealed with another key or altered."""
    if not stored.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    blob = base64.b64decode(stored[len(PREFIX):])
    return _current()[0].decrypt(blob[:_NONCE], blob[_NONCE:], None).decode()


def digest(value: str, purpose: str) -> str:
    """A keyed hash of a (normalised) value: equal values give equal digests, for lookups and uniqueness.

    `purpose` keeps the digests of different fields apart (an ID number and a phone never collide). 128 bits
    (32 hex characters): no collision among a county's people, and shorter index keys than the whole HMAC."""
    return hmac.digest(_current()[1], f"{purpose}\x00{value}".encode(), hashlib.sha256)[:16].hex()


class _EmptyOnlyExact(Exact):
    """`field = ''` still works (blank values are stored blank); any other value cannot be compared."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(f"{self.lhs.target.name} is encrypted: look it up by its digest column")
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    """A CharField stored encrypted (a text column); `max_length` bounds the clear value."""

    def __init__(self, *args, mask: Callable[[str], str] | None = None, **kwargs):
        self.mask = mask
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name):
        return None


class DigestField(models.CharField):
    """The keyed hash (`digest`) of an encrypted field, for lookups and uniqueness; never shown or audited."""

    audited = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
