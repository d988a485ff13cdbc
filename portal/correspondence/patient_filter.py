"""The inbox's patient filter token: which patient to filter by, unreadable outside the server.

The CPR number arrives once, in a POST body; the inbox URL then carries this token.
It is encrypted (Fernet, a key derived from SECRET_KEY for this purpose only), bound
to the user it was made for and short-lived, so it neither reveals whether a patient
is known here (a signed token could be decoded to a real id or -1) nor works as a
link for somebody else.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# A patient filter lives for a working day; an old link in the history stops filtering.
PATIENT_TOKEN_MAX_AGE = 12 * 60 * 60
# No patient matches: a filter that finds nothing, without saying whether the patient exists.
NO_PATIENT = -1
# Every plaintext has the same length, so every token has the same length too.
_PAYLOAD_WIDTH = 48


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"samspil.correspondence.inbox.patient"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def patient_token(*, user, patient_id: int | None) -> str:
    payload = f"{user.pk}:{patient_id if patient_id is not None else NO_PATIENT}".ljust(_PAYLOAD_WIDTH)
    return _fernet().encrypt(payload.encode()).decode("ascii")


def patient_from_token(*, user, token: str) -> tuple[int | None, bool]:
    """(patient id to filter by, expired or invalid?); never from a CPR number."""
    if not token:
        return None, False
    try:
        payload = _fernet().decrypt(token.encode("ascii"), ttl=PATIENT_TOKEN_MAX_AGE).decode()
        owner, patient_id = (int(part) for part in payload.strip().split(":"))
    except (InvalidToken, UnicodeError, ValueError):
        return None, True
    if owner != user.pk:
        return None, True
    return patient_id, False
