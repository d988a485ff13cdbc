"""The anonymiser of FAQ proposals (issue 15): CPR numbers, names and dates, with counts."""

import datetime
import re

import pytest
from django.utils import translation

from portal.patients.anonymise import (
    MAX_OFFSET_DAYS,
    MIN_OFFSET_DAYS,
    anonymise_texts,
    name_variants,
    random_day_offset,
    shift_dates,
)
from portal.patients.cpr_shape import contains_cpr_shaped, replace_cpr_shaped


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


@pytest.mark.parametrize(
    "text",
    [
        "Patient 0707614285 har",
        "Patient 070761-4285 har",
        "Patient 070761 4285 har",
        "Patient 070761\u20114285 har",  # a non-breaking hyphen
        "cpr:0707614285.",
        "Patient 310299-1234 (ugyldig, men CPR-formet)",
    ],
)
def test_every_cpr_shaped_number_is_replaced_with_or_without_a_dash(text):
    result = anonymise_texts({"q": text}, names=[], day_offset=30)
    assert not contains_cpr_shaped(result.texts["q"])
    assert "[CPR-nummer]" in result.texts["q"]
    assert result.changes.cpr_numbers == 1


def test_numbers_that_are_not_cpr_shaped_are_kept():
    text = "Telefon 78450000, 12345678901 og dosis 1000 mg; 3207614285 er ingen dato."
    assert replace_cpr_shaped(text, "X") == (text, 0)


def test_the_names_of_everyone_involved_are_replaced_whole_and_in_parts():
    text = (
        "Kære Sune Specialist. Grete Lægesen her: Gretes patient vil gerne bo hjemme. "
        "Mvh GRETE LÆGESEN. Spørg evt. Specialists sekretær."
    )
    result = anonymise_texts({"q": text}, names=["Grete Lægesen", "Sune Specialist", "Bo Ib"], day_offset=20)
    out = result.texts["q"]
    for name in ("Sune", "Specialist", "Grete", "Lægesen", "GRETE"):
        assert name not in out, out
    # The genitive is kept, the verb "bo" is not taken for the name Bo, a one-letter part is left.
    assert "[navn]s patient vil gerne bo hjemme" in out and "[navn]s sekretær" in out
    assert result.changes.names == 5


def test_name_variants_are_whole_names_and_parts_longest_first():
    assert name_variants(["Anne-Marie Holm", " ", "X"]) == ["Anne-Marie Holm", "Marie", "Anne", "Holm"]


def test_every_date_moves_by_the_same_offset_in_its_own_format():
    text = (
        "Indlagt 3.4.2026, set 03-04-2026 og 3/4/26, udskrevet 2026-04-10, "
        "kontrol 3. april 2026 og 3. apr. 2026; Opfølgning 28. December 2026."
    )
    result = anonymise_texts({"q": text}, names=[], day_offset=30)
    assert result.texts["q"] == (
        "Indlagt 3.5.2026, set 03-05-2026 og 3/5/26, udskrevet 2026-05-10, "
        "kontrol 3. maj 2026 og 3. maj. 2026; Opfølgning 27. Januar 2027."
    )
    assert result.changes.dates == 7


def test_one_offset_for_all_texts_of_a_draft_so_intervals_are_kept():
    texts = {"question": "Indlagt 1.3.2026.", "answer": "Udskrevet 15.3.2026, kontrol 2026-04-01."}
    result = anonymise_texts(texts, names=[])
    found = re.findall(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}", " ".join(result.texts.values()))
    dates = [
        datetime.date.fromisoformat(d) if "-" in d else datetime.datetime.strptime(d, "%d.%m.%Y").date()
        for d in found
    ]
    assert (dates[1] - dates[0]).days == 14 and (dates[2] - dates[1]).days == 17
    offset = (dates[0] - datetime.date(2026, 3, 1)).days
    assert MIN_OFFSET_DAYS <= abs(offset) <= MAX_OFFSET_DAYS
    assert result.changes.dates == 3


def test_the_offset_is_random_non_zero_and_bounded():
    offsets = {random_day_offset() for _ in range(200)}
    assert len(offsets) > 20 and 0 not in offsets
    assert all(MIN_OFFSET_DAYS <= abs(o) <= MAX_OFFSET_DAYS for o in offsets)


def test_what_is_not_a_date_is_left_alone():
    text = "31.2.2026, kl. 14.30, dosis 2.5 mg, version 1.2, uge 3/4"
    assert shift_dates(text, 10) == (text, 0)


def test_a_cpr_number_is_replaced_before_its_date_could_be_shifted():
    result = anonymise_texts({"q": "CPR 030426-1234 født 3.4.1926"}, names=[], day_offset=1)
    assert result.texts["q"] == "CPR [CPR-nummer] født 4.4.1926"
    assert (result.changes.cpr_numbers, result.changes.dates, result.changes.total) == (1, 1, 2)
