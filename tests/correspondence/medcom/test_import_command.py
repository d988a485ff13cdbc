"""``manage.py import_carecommunication FILE...``: counts, reasons, exit status, no CPR in the output."""

import io
import json
import logging

import pytest
from django.core.management import CommandError, call_command

from portal.correspondence.management.commands import import_carecommunication as command
from portal.correspondence.models import Message, Thread

from .test_carecommunication import EXAMPLES, TEST_CPR, _example
from .test_import import receivers  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("receivers")]

REPLACEMENT_CPRS = ("0703921VJ6", "1206550VK9")


def _run(*files) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_carecommunication", *map(str, files), stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return out.getvalue(), err.getvalue(), code


def _assert_no_cpr(*texts):
    for text in texts:
        for number in (TEST_CPR, "250947-9989", *REPLACEMENT_CPRS):
            assert number not in text


def test_the_nine_examples_import_and_then_are_duplicates(caplog, capfd):
    caplog.set_level(logging.DEBUG)
    out, err, code = _run(*EXAMPLES)
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "Importeret: 9, dubletter: 0, ikke leveret: 0, afvist: 0"
    assert Thread.objects.count() == 9
    messages = Message.objects.count()

    out2, err2, code2 = _run(*EXAMPLES)
    assert code2 == 0
    assert out2.strip().splitlines()[-1] == "Importeret: 0, dubletter: 9, ikke leveret: 0, afvist: 0"
    assert Message.objects.count() == messages
    captured = capfd.readouterr()
    _assert_no_cpr(out, err, out2, err2, caplog.text, captured.out, captured.err)


def test_refused_files_are_reported_with_their_reason_and_the_status_is_non_zero(tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    bad_json = tmp_path / "broken.json"
    bad_json.write_bytes(b"{not json")
    entity = tmp_path / "entity.xml"
    entity.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<Bundle xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Bundle>'
    )
    bundle = json.loads(_example("S-C").read_bytes())
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Communication":
            entry["resource"]["priority"] = "asap"
    priority = tmp_path / "priority.json"
    priority.write_text(json.dumps(bundle))
    missing = tmp_path / "missing.json"

    out, err, code = _run(_example("S-A"), bad_json, entity, priority, missing)
    assert code != 0
    assert out.strip().splitlines()[-1] == "Importeret: 1, dubletter: 0, ikke leveret: 0, afvist: 4"
    assert "Afvist: broken.json: Ugyldig JSON" in err
    assert "Afvist: entity.xml: XML med DTD/entiteter afvist" in err
    assert "Afvist: priority.json: Prioritet kan kun angives" in err
    assert "Afvist: missing.json: filen findes ikke" in err
    assert Thread.objects.count() == 1
    captured = capfd.readouterr()
    _assert_no_cpr(out, err, caplog.text, captured.out, captured.err)


def test_json_and_xml_are_told_apart_by_content_not_name(tmp_path):
    xml_named_json = tmp_path / "bundle.json"
    xml_named_json.write_bytes(_example("S-B").read_bytes())
    _out, err, code = _run(xml_named_json)
    assert code == 0, err
    assert Thread.objects.count() == 1


def test_a_file_over_the_cap_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "MAX_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 5000 + _example("S-C").read_bytes())
    out, err, code = _run(big)
    assert code != 0
    assert "Afvist: big.json: filen er større end" in err
    assert out.strip().splitlines()[-1] == "Importeret: 0, dubletter: 0, ikke leveret: 0, afvist: 1"
    assert Thread.objects.count() == 0


def test_read_capped_reads_at_most_one_byte_past_the_limit(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert command.read_capped(path, limit=100) == b"x" * 100
    assert command.read_capped(path, limit=99) is None


def test_an_undelivered_file_is_counted_apart_and_the_status_is_non_zero(tmp_path, caplog, capfd):
    from .test_import import UNSERVED_SOR, _addressed_to

    caplog.set_level(logging.DEBUG)
    elsewhere = tmp_path / "til-skejby.json"
    elsewhere.write_bytes(_addressed_to(UNSERVED_SOR))
    out, err, code = _run(_example("S-A"), elsewhere)
    assert code != 0
    assert out.strip().splitlines()[-1] == "Importeret: 1, dubletter: 0, ikke leveret: 1, afvist: 0"
    assert f"Ikke leveret, lagt til administrator: til-skejby.json: Modtageren (SOR {UNSERVED_SOR}" in err
    assert "Importeret: til-skejby.json" not in out
    assert Thread.objects.count() == 1
    captured = capfd.readouterr()
    _assert_no_cpr(out, err, caplog.text, captured.out, captured.err)


def test_waiting_dead_letters_are_retried_from_the_command(tmp_path):
    from portal.correspondence.models import DeadLetter

    from .test_import import UNSERVED_SOR, _addressed_to, served

    elsewhere = tmp_path / "til-skejby.json"
    elsewhere.write_bytes(_addressed_to(UNSERVED_SOR))
    _run(elsewhere)
    out, err, code = _run("--retry-dead-letters")
    assert code != 0 and "Stadig ikke leveret" in err
    assert out.strip().splitlines()[-1] == "Importeret: 0, dubletter: 0, ikke leveret: 1, afvist: 0"

    served(UNSERVED_SOR)
    out, err, code = _run("--retry-dead-letters")
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "Importeret: 1, dubletter: 0, ikke leveret: 0, afvist: 0"
    assert DeadLetter.objects.get().status == DeadLetter.Status.DELIVERED
    assert Thread.objects.count() == 1
    _assert_no_cpr(out, err)


def test_the_command_wants_files_or_the_retry_option():
    _out, err, code = _run()
    assert code != 0 and "--retry-dead-letters" in err
