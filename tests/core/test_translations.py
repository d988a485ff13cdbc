"""The Danish catalogue is complete and covers every translatable string in the source."""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"


def read_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgid, translations and flags."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry or {"msgid": "", "msgstr": [], "flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            field, entry["msgid"] = "msgid", _unquote(line[6:])
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"'):
            if field == "msgid":
                entry["msgid"] += _unquote(line)
            elif field == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = [e for e in read_po(PO) if e["msgid"]]
    assert len(entries) > 150
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.skipif(
    not shutil.which("msgfmt"), reason="GNU gettext is not installed (apt-get install gettext)"
)
def test_committed_compiled_catalogue_matches_the_source(tmp_path):
    import subprocess

    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(PO)], check=True)  # noqa: S603, S607
    assert fresh.read_bytes() == PO.with_suffix(".mo").read_bytes(), (
        "run `make messages` and commit django.mo"
    )


@pytest.mark.skipif(
    not shutil.which("xgettext"), reason="GNU gettext is not installed (apt-get install gettext)"
)
def test_catalogue_covers_every_string_in_the_source(tmp_path, settings, monkeypatch):
    # Extract from a copy, so that makemessages cannot touch the real catalogue.
    for folder in ("portal", "content", "search", "templates"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "demo")
        )
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["da"], verbosity=0)
    fresh = {
        e["msgid"] for e in read_po(tmp_path / "locale" / "da" / "LC_MESSAGES" / "django.po") if e["msgid"]
    }
    ours = {e["msgid"] for e in read_po(PO) if e["msgid"]}
    missing = sorted(fresh - ours)
    assert not missing, f"run `make messages` and translate: {missing}"


def test_dates_are_danish():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("da"):
        rendered = Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": datetime.date(2026, 11, 25)}))
    assert rendered == "25. november 2026"
    assert re.fullmatch(r"\d+\. \w+ \d{4}", rendered)


def test_danish_even_when_the_browser_asks_for_english(client, db):
    response = client.get("/findes-ikke/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="da">' in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get("/findes-ikke/", HTTP_ACCEPT_LANGUAGE="da")
    assert '<html lang="en">' in response.content.decode()
