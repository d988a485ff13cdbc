"""A proposal for an anonymised text: CPR numbers and names replaced, dates shifted (issue 15).

Used when a participant proposes a closed correspondence thread or conference as an FAQ draft.
The result is only a proposal: it pre-fills a form that the participant reads, edits and
confirms, with the counts of what was changed beside it (clinical text is never changed
silently), and the server still refuses a submitted text with anything CPR-shaped in it.

What is replaced:

- every CPR-shaped number (``portal.patients.cpr_shape``), with or without a hyphen;
- names. ``PatientReference`` holds no name (only the encrypted CPR number and its blind
  index), so the patient's name cannot be looked up; the caller passes the names of everyone
  involved instead (participants, authors, whoever acted on it), each whole name and each of its
  parts, with a Danish genitive "s" kept (``Hansens`` → ``[navn]s``). Parts are matched with their
  capital letter, so the verb "bo" is not taken for the name "Bo";
- dates with a year, in the forms Danish clinicians write (3.4.2026, 03-04-2026, 3/4/26,
  2026-04-03, "3. april 2026", "3. apr. 2026"), all shifted by the same number of days, so the
  intervals between them (what the case is about) are kept while the real dates are not. The
  written form is kept: padding, separator, two- or four-digit year, month word or abbreviation.
  A date without a year ("d. 3/4") is left as it is: its year is unknown.
"""

import datetime
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .cpr_shape import replace_cpr_shaped

# The offset is at least two weeks and at most about four months, in either direction.
MIN_OFFSET_DAYS, MAX_OFFSET_DAYS = 14, 120

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december"]  # fmt: skip
MONTH_ABBREVIATIONS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
_MONTH_WORDS = {word: n for n, word in enumerate(MONTHS, start=1)}
_MONTH_WORDS |= {word: n for n, word in enumerate(MONTH_ABBREVIATIONS, start=1)}
_MONTH_WORDS["sept"] = 9
_MONTH_ALTERNATIVES = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))

_DATES = re.compile(
    r"(?<![\d./-])(?:"
    r"(?P<iso_y>\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})"
    r"|(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    rf"|(?P<wd>\d{{1,2}})\.(?P<ws1>\s*)(?P<month>{_MONTH_ALTERNATIVES})(?P<dot>\.?)(?P<ws2>\s+)(?P<wy>\d{{4}})"
    r")(?![\d])",
    re.IGNORECASE,
)


def random_day_offset() -> int:
    """A non-zero number of days, chosen anew for each draft."""
    days = MIN_OFFSET_DAYS + secrets.randbelow(MAX_OFFSET_DAYS - MIN_OFFSET_DAYS + 1)
    return days if secrets.randbelow(2) else -days


@dataclass
class Changes:
    """How many of each were replaced: shown to the participant beside the proposal."""

    cpr_numbers: int = 0
    names: int = 0
    dates: int = 0

    @property
    def total(self) -> int:
        return self.cpr_numbers + self.names + self.dates


@dataclass
class AnonymisedDraft:
    texts: dict[str, str]
    changes: Changes = field(default_factory=Changes)


def anonymise_texts(
    texts: dict[str, str], *, names: Iterable[str], day_offset: int | None = None
) -> AnonymisedDraft:
    """Every text of one draft anonymised with the same names and the same date offset."""
    offset = random_day_offset() if day_offset is None else day_offset
    pattern = names_pattern(names)
    changes = Changes()
    result = {}
    for key, text in texts.items():
        text, count = replace_cpr_shaped(text, _("[CPR number]"))
        changes.cpr_numbers += count
        text, count = shift_dates(text, offset)
        changes.dates += count
        text, count = replace_names(text, pattern)
        changes.names += count
        result[key] = text
    return AnonymisedDraft(texts=result, changes=changes)


def name_variants(names: Iterable[str]) -> list[str]:
    """Each whole name and each part of it of two letters or more, longest first."""
    variants = set()
    for name in names:
        name = " ".join((name or "").split())
        if len(name) < 2:
            continue
        variants.add(name)
        variants.update(part for part in re.split(r"[\s-]+", name) if len(part) >= 2 and part[0].isalpha())
    return sorted(variants, key=lambda v: (-len(v), v))


def names_pattern(names: Iterable[str]) -> re.Pattern | None:
    variants = name_variants(names)
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in variants)
    # Written as in the record (capital first), or in capitals; a Danish genitive s is kept.
    upper = "|".join(re.escape(v.upper()) for v in variants)
    return re.compile(rf"(?<!\w)(?:{alternatives}|{upper})(?P<genitive>s?)(?!\w)")


def replace_names(text: str, pattern: re.Pattern | None) -> tuple[str, int]:
    if pattern is None:
        return text, 0
    placeholder = _("[name]")
    return pattern.subn(lambda m: placeholder + m.group("genitive"), text)


def shift_dates(text: str, days: int) -> tuple[str, int]:
    """Every date with a year moved by ``days``, written as it was; not a real date: left alone."""
    count = 0

    def _shift(match: re.Match) -> str:
        nonlocal count
        written = _shifted(match, datetime.timedelta(days=days))
        if written is None:
            return match.group(0)
        count += 1
        return written

    return _DATES.sub(_shift, text), count


def _shifted(match: re.Match, delta: datetime.timedelta) -> str | None:
    g = match.groupdict()
    try:
        if g["iso_y"]:
            new = datetime.date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"])) + delta
            return new.isoformat()
        if g["d"]:
            year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
            new = datetime.date(year, int(g["m"]), int(g["d"])) + delta
            year_text = f"{new.year % 100:02d}" if len(g["y"]) == 2 else str(new.year)
            return g["sep"].join([_padded(new.day, g["d"]), _padded(new.month, g["m"]), year_text])
        month_word = g["month"]
        new = datetime.date(int(g["wy"]), _MONTH_WORDS[month_word.lower()], int(g["wd"])) + delta
    except ValueError:  # 31.2.2026, or a year out of range: not a date
        return None
    names = MONTHS if month_word.lower() in MONTHS else MONTH_ABBREVIATIONS
    word = names[new.month - 1]
    if month_word[0].isupper():
        word = word.upper() if month_word.isupper() else word.capitalize()
    return f"{_padded(new.day, g['wd'])}.{g['ws1']}{word}{g['dot']}{g['ws2']}{new.year}"


def _padded(value: int, written: str) -> str:
    return f"{value:02d}" if len(written) == 2 else str(value)


def faq_proposal_submit(*, question: str, answer: str, owner):
    """A participant's reviewed text as an unpublished FAQ draft: the one guard and write shared
    by threads and conferences. A CPR-shaped number left in either text refuses the whole
    proposal (the form says so first; this is the service's own guard)."""
    from django.core.exceptions import ValidationError

    from content.services import faq_proposal_create  # the page tree is content's to write

    from .cpr_shape import contains_cpr_shaped

    if contains_cpr_shaped(question) or contains_cpr_shaped(answer):
        raise ValidationError(
            _("The text still contains something that looks like a CPR number. Nothing has been saved.")
        )
    page = faq_proposal_create(question=question, answer=answer, owner=owner)
    if page is None:
        raise ValidationError(_("The site has no FAQ section to put the draft in."))
    return page
