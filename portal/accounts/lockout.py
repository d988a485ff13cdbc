"""The name django-axes counts wrong passwords under.

Axes stores it in a 255-character column; a hostile login with a longer "e-mail" made
PostgreSQL refuse the row and the login page answer 500. Lower case and cut to the longest
e-mail address a user can have (254), so the lockout counts the same person however typed.
"""

from django.conf import settings

MAX_EMAIL_LENGTH = 254


def lockout_username(request, credentials: dict | None = None) -> str | None:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field) if request is not None else None
    if username is None:
        return None
    return str(username).strip().lower()[:MAX_EMAIL_LENGTH]
