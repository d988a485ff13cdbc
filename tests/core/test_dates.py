"""One date format everywhere, Danish, from one place (issue 10): the named formats in
portal/formats and, for times one picks, the weekday in front of the same format."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from portal.core.dates import weekday_datetime

ROOT = Path(__file__).resolve().parents[2]
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
}
# Machine formats for the datetime attribute of <time>, never shown; and the ISO week number of
# a week-by-week calendar's column ("U" 49), which is no date.
MACHINE = {"c", "Y-m-d", "W"}


def test_a_bookable_time_reads_with_its_weekday_in_danish():
    at = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    with translation.override("da"):
        assert weekday_datetime(at) == "tirsdag 1. december 2026 kl. 08.00"
        html = Template("{% load samspil_tags %}{{ at|weekday_datetime }}").render(Context({"at": at}))
    assert html == "tirsdag 1. december 2026 kl. 08.00"


def test_the_named_formats_are_danish():
    at = datetime(2026, 12, 4, 8, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    with translation.override("da"):
        text = Template('{{ at|date:"DATETIME_FORMAT" }}|{{ at|date:"SHORT_DATETIME_FORMAT" }}').render(
            Context({"at": at})
        )
    assert text == "4. december 2026 kl. 08.00|04.12.2026 08.00"


def test_no_template_spells_out_a_date_format_of_its_own():
    pattern = re.compile(r"""\|(?:date|time):["']([^"']*)["']""")
    own = []
    for template in (ROOT / "templates").rglob("*.*"):
        for fmt in pattern.findall(template.read_text(encoding="utf-8")):
            if fmt not in NAMED | MACHINE:
                own.append((template.relative_to(ROOT).as_posix(), fmt))
    assert own == []
