"""CPR numbers encrypted at rest, and a blind index to find them again.

Encryption is Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) over
``settings.CPR_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts,
so a new key is put first, ``manage.py rotate_cpr_keys`` re-encrypts every
row with it, and only then is the old key removed.

Fernet tokens are randomised, so the same CPR never encrypts to the same text
and the ciphertext cannot be searched. The blind index is an HMAC-SHA256 of
the normalised number keyed by ``settings.CPR_BLIND_INDEX_KEY``; without that
key (kept outside the database, like the encryption keys) a stolen database
cannot be searched by trying all CPR numbers, of which there are only a few
hundred million. Changing the blind-index key means recomputing every index.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .cpr import normalise_cpr


def _fernet() -> MultiFernet:
    # Built per call (it is cheap), so that override_settings and a changed key
    # list take effect without a restart of anything cached.
    keys = list(getattr(settings, "CPR_ENCRYPTION_KEYS", None) or [])
    if not keys:
        raise ImproperlyConfigured("CPR_ENCRYPTION_KEYS is empty: set it to one or more Fernet keys.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        # The message never contains the key itself.
        raise ImproperlyConfigured(f"CPR_ENCRYPTION_KEYS holds an invalid Fernet key: {exc}") from None


def _blind_index_key() -> bytes:
    key = getattr(settings, "CPR_BLIND_INDEX_KEY", None) or ""
    if len(key) < 32:
        raise ImproperlyConfigured("CPR_BLIND_INDEX_KEY must be set to at least 32 characters.")
    return key.encode()


def encrypt_cpr(cpr: str) -> str:
    """The Fernet token (ASCII text) for a CPR number, under the first key."""
    return _fernet().encrypt(normalise_cpr(cpr).encode()).decode("ascii")


def decrypt_cpr(token: str) -> str:
    """The ten digits, decrypted with whichever configured key made the token."""
    return _fernet().decrypt(token.encode("ascii")).decode("ascii")


def encrypt_patient_data(data: bytes) -> str:
    """A Fernet token for other data that holds a CPR number (a received MedCom bundle, say),
    under the same keys, so that ``rotate_cpr_keys`` can re-encrypt it with the numbers."""
    return _fernet().encrypt(data).decode("ascii")


def decrypt_patient_data(token: str) -> bytes:
    return _fernet().decrypt(token.encode("ascii"))


def reencrypt(token: str) -> str:
    """The same CPR number or patient data under the current first key (MultiFernet.rotate)."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def blind_index(cpr: str) -> str:
    """64 hex characters, the same for the same number however it was typed."""
    digest = hmac.new(_blind_index_key(), normalise_cpr(cpr).encode(), hashlib.sha256)
    return digest.hexdigest()
