"""No CPR number in the logs: the console handler masks anything CPR-shaped."""

import io
import logging

import pytest

from portal.patients.logging import CprRedactingFilter, redact_cpr


@pytest.fixture
def console_output():
    """The output of the console handler that settings.LOGGING installs on the root logger."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and any(isinstance(f, CprRedactingFilter) for f in h.filters)
    ]
    assert len(handlers) == 1, "settings.LOGGING must install CprRedactingFilter on the console handler"
    stream = io.StringIO()
    old = handlers[0].setStream(stream)
    yield stream
    handlers[0].setStream(old)


def test_a_cpr_number_in_a_message_or_its_arguments_is_masked(console_output):
    log = logging.getLogger("portal.test")
    log.warning("Opslag på 070761-1006 fejlede")
    log.warning("Opslag på %s for %r", "0707611006", {"cpr": "0110097213"})
    log.warning("Objekt %s", type("Patient", (), {"__str__": lambda self: "Patient 2302114025"})())
    output = console_output.getvalue()
    for leak in ("0707611006", "070761-1006", "0110097213", "2302114025", "1006", "7213", "4025"):
        assert leak not in output
    assert "070761-XXXX" in output and "011009-XXXX" in output and "230211-XXXX" in output


def test_a_cpr_number_in_a_traceback_is_masked(console_output):
    try:
        raise ValueError("ugyldigt nummer 070761-1006")
    except ValueError:
        logging.getLogger("portal.test").exception("Fejl")
    output = console_output.getvalue()
    assert "ValueError" in output
    assert "070761-1006" not in output and "070761-XXXX" in output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0707611006", "070761-XXXX"),
        ("a 070761-1006 b", "a 070761-XXXX b"),
        ("12345678901", "12345678901"),  # eleven digits: not CPR-shaped
        ("2026-11-25 10:00", "2026-11-25 10:00"),
        ("070761-XXXX", "070761-XXXX"),
    ],
)
def test_redact(text, expected):
    assert redact_cpr(text) == expected


def test_a_message_that_cannot_be_formatted_does_not_break_the_caller():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d %s", ("not a number", "0707611006"), None)
    assert CprRedactingFilter().filter(record) is True
    assert record.args is None
    assert "0707611006" not in record.getMessage()


def test_a_record_without_anything_cpr_shaped_is_left_alone():
    # Other handlers (and tests) read record.args: only a record with a CPR is rewritten.
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "Hændelse %s", ("a1b2c3d4e5f6",), None)
    assert CprRedactingFilter().filter(record) is True
    assert (record.msg, record.args) == ("Hændelse %s", ("a1b2c3d4e5f6",))
