"""CPR validation: strict format, the century rule, real dates, modulus 11 only as a hint."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum.dk import cpr as stdnum_cpr

from portal.patients.cpr import CprCheck, birth_year, mask_cpr, normalise_cpr, validate_cpr

TODAY = datetime.date(2026, 11, 25)


def error_code(text, today=TODAY) -> str:
    with pytest.raises(ValidationError) as info:
        validate_cpr(text, today=today)
    return info.value.code


@pytest.mark.parametrize(
    "text",
    ["0707611006", "070761-1006", " 070761-1006", "070761-1006 ", "\t0707611006\n", "\u00a0070761-1006"],
)
def test_accepted_shapes_normalise_to_ten_digits(text):
    assert normalise_cpr(text) == "0707611006"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "070761100",  # nine digits
        "07076110066",  # eleven digits
        "070761-100",
        "07076-11006",  # hyphen in the wrong place
        "0707-611006",
        "070761--1006",
        "070761 1006",  # a space inside
        "0707 61 1006",
        "070761\u20131006",  # en dash
        "070761/1006",
        "+0707611006",
        "0707611006.",
        "07O7611006",  # letter O
        "\u0660\u0667\u0660\u0667\u0666\u0661\u0661\u0660\u0660\u0666",  # Arabic-Indic digits
        "\uff10\uff17\uff10\uff17\uff16\uff11\uff11\uff10\uff10\uff16",  # full-width digits
        "070761\u00b91006",  # superscript one
        "070761\x001006",  # NUL inside
        "\x000707611006",
        "0707611006\x00",
        "070761-1006\n0707611006",
    ],
)
def test_anything_else_is_a_format_error(text):
    with pytest.raises(ValidationError) as info:
        normalise_cpr(text)
    assert info.value.code == "cpr_format"
    assert error_code(text) == "cpr_format"


@pytest.mark.parametrize("value", [None, 707611006, b"0707611006", ["0707611006"]])
def test_non_text_is_a_format_error(value):
    assert error_code(value) == "cpr_format"


@pytest.mark.parametrize(
    ("two_digit_year", "seventh", "year"),
    [
        (0, 0, 1900),
        (99, 3, 1999),
        (36, 4, 2036),
        (37, 4, 1937),
        (0, 9, 2000),
        (36, 9, 2036),
        (37, 9, 1937),
        (99, 9, 1999),
        (0, 5, 2000),
        (57, 5, 2057),
        (58, 5, 1858),
        (57, 8, 2057),
        (58, 8, 1858),
        (99, 6, 1899),
    ],
)
def test_the_century_rule_of_the_seventh_digit(two_digit_year, seventh, year):
    assert birth_year(two_digit_year, seventh) == year


def test_our_century_rule_agrees_with_python_stdnum_everywhere():
    for two_digit_year in range(100):
        for seventh in range(10):
            number = f"0101{two_digit_year:02d}{seventh}000"
            ours = birth_year(two_digit_year, seventh)
            assert ours == stdnum_cpr.get_birth_date(number).year, number


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("2902004000", datetime.date(2000, 2, 29)),  # leap day, 2000 (7th digit 4)
        ("2902005000", datetime.date(2000, 2, 29)),  # leap day, 2000 (7th digit 5)
        ("2902964000", datetime.date(1996, 2, 29)),  # leap day, 1996
        ("2902965000", datetime.date(1896, 2, 29)),  # leap day in the 1800s
        ("0101805000", datetime.date(1880, 1, 1)),  # the 1800s
        ("3112997999", datetime.date(1899, 12, 31)),
        ("0101584000", datetime.date(1958, 1, 1)),  # 4 with a year above 36: the 1900s
        ("0101254000", datetime.date(2025, 1, 1)),  # 2000s with 7th digit 4
        ("2511264000", TODAY),  # born today is not the future
        ("0707611006", datetime.date(1961, 7, 7)),
    ],
)
def test_real_dates_are_accepted(text, born):
    check = validate_cpr(text, today=TODAY)
    assert isinstance(check, CprCheck)
    assert check.cpr == text
    assert check.birth_date == born


@pytest.mark.parametrize(
    "text",
    [
        "2902010000",  # 29 February 1901: not a leap year
        "2902014000",  # 29 February 2001
        "2902000000",  # 29 February 1900 (7th digit 0-3): 1900 was not a leap year
        "2902003000",
        "3002964000",
        "3104611006",  # 31 April
        "3206611006",  # day 32
        "0007611006",  # day 0
        "0113611006",  # month 13
        "0100611006",  # month 0
    ],
)
def test_impossible_dates_are_refused(text):
    assert error_code(text) == "cpr_date"


@pytest.mark.parametrize(
    "text",
    [
        "2611264000",  # tomorrow
        "0101274000",  # next year
        "0101365000",  # 2036 (7th digit 5)
        "0101364000",  # 2036 (7th digit 4)
        "0101575000",  # 2057
    ],
)
def test_future_dates_are_refused(text):
    assert error_code(text) == "cpr_future"


def test_today_defaults_to_the_copenhagen_date():
    # 2057 is far enough ahead for this test to keep its meaning for decades.
    assert error_code("0101575000", today=None) == "cpr_future"
    assert validate_cpr("0707611006").birth_date == datetime.date(1961, 7, 7)


@pytest.mark.parametrize("text", ["0707611006", "1502891002", "2302111009", "0101701018", "2110625629"])
def test_modulus_11_numbers_carry_no_hint(text):
    assert stdnum_cpr.checksum(text) == 0
    assert validate_cpr(text, today=TODAY).possible_typo is False


# Real-shaped numbers without modulus 11, as issued since 1 October 2007
# (also to people born earlier, e.g. immigrants).
WITHOUT_MODULUS_11 = ["0110097213", "2302114025", "1409751235", "0708614137", "1502893018", "1803570210"]


@pytest.mark.parametrize("text", WITHOUT_MODULUS_11)
def test_numbers_without_modulus_11_are_valid_with_a_soft_hint(text):
    assert stdnum_cpr.checksum(text) != 0
    check = validate_cpr(text, today=TODAY)
    assert check.cpr == text
    assert check.possible_typo is True


@pytest.mark.parametrize("position", range(10))
def test_a_single_mistyped_digit_in_a_modulus_11_number_raises_the_hint(position):
    good = "0707611006"
    wrong_digit = str((int(good[position]) + 1) % 10)
    typo = good[:position] + wrong_digit + good[position + 1 :]
    try:
        check = validate_cpr(typo, today=TODAY)
    except ValidationError:
        return  # some typos already make an impossible date
    assert check.possible_typo is True


def test_the_cpr_number_is_not_in_the_repr_of_a_check():
    check = validate_cpr("0707611006", today=TODAY)
    assert "0707611006" not in repr(check)
    assert "1006" not in repr(check)


@pytest.mark.parametrize(("text", "masked"), [("0707611006", "070761-XXXX"), (" 070761-1006", "070761-XXXX")])
def test_mask(text, masked):
    assert mask_cpr(text) == masked


def test_mask_refuses_what_is_not_a_cpr_number():
    with pytest.raises(ValidationError):
        mask_cpr("12345")


@pytest.mark.parametrize(
    ("text", "code"), [("12345", "cpr_format"), ("3206611006", "cpr_date"), ("0101575000", "cpr_future")]
)
def test_error_messages_are_danish(text, code):
    from django.utils import translation

    from portal.patients.cpr import MESSAGES

    with translation.override("da"), pytest.raises(ValidationError) as info:
        validate_cpr(text, today=TODAY)
    message = info.value.messages[0]
    with translation.override("en"):
        english = str(MESSAGES[code])
    assert message != english, "translate the message in locale/da"
    assert "CPR" in message
