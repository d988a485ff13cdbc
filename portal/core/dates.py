"""Dates in words, from one place: the formats in ``portal/formats`` and, where the weekday
matters (choosing a time), the same format with the weekday in front.

Templates use Django's named formats (``DATE_FORMAT`` in text, ``SHORT_DATETIME_FORMAT`` in
tables, ``TIME_FORMAT`` for an end time) and the ``weekday_datetime`` filter for times one picks.
"""

from datetime import datetime

from django.utils import formats, timezone


def weekday_datetime(value: datetime) -> str:
    """ "tirsdag 1. december 2026 kl. 08.00": a bookable time, where the weekday decides."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{formats.date_format(value, 'l')} {formats.date_format(value, 'DATETIME_FORMAT')}"
