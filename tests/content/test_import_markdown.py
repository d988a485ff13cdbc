"""python manage.py import_markdown: page types, taxonomy, drafts, re-runs and bad files."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model

from content.models import AuditMaterialPage, CasePage, FaqPage, GuidelinePage, ThinkSmartReviewPage, Topic

from .factories import section

SAMPLES = Path(__file__).parent / "markdown_samples"

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    for slug, title in [
        ("retningslinjer", "Retningslinjer"),
        ("gode-eksempler", "Gode eksempler"),
        ("spoergsmaal-og-svar", "Spørgsmål og svar"),
        ("audit", "Audit"),
        ("taenk-klogt", "Tænk klogt"),
    ]:
        section(slug, title)


def run_import(folder, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_markdown", str(folder), *args, "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_creates_the_right_page_types_with_specialties_and_topics(sections):
    out, err, failure = run_import(SAMPLES / "valid", "--publish")

    assert failure is None, err
    assert "Oprettet: 5" in out
    guideline = GuidelinePage.objects.get(slug="aandenoed-hos-voksne")
    assert guideline.live
    assert guideline.get_parent().slug == "retningslinjer"
    assert {s.slug for s in guideline.specialties.all()} == {"lungesygdomme", "kardiologi"}
    assert [t.name for t in guideline.topics.all()] == ["Åndenød"]
    assert {s.slug for s in guideline.sectors.all()} == {"almen-praksis", "sygehus"}
    assert guideline.evidence_level == "moderate"
    assert guideline.general_practice_owner == "Praktiserende læge Eva Berg"
    assert "Første konsultation" in guideline.general_practice_body[0].value
    assert "72 timer" in guideline.hospital_body[0].value
    assert guideline.references[0].value["url"] == "https://www.lungemedicin.dk/"
    assert list(guideline.tags.names()) == ["udredning"]

    case = CasePage.objects.get()
    assert {t.name for t in case.topics.all()} == {"Skrøbelighed", "Åndenød"}
    assert Topic.objects.filter(name="Åndenød").count() == 1  # shared, not duplicated

    faq = FaqPage.objects.get()
    assert [q["question"] for q in faq.questions()] == ["Hvad er omvisitering?", "Får jeg besked?"]
    assert [s.slug for s in faq.sectors.all()] == ["sygehus"]

    audit = AuditMaterialPage.objects.get()
    assert audit.indicators[0].value["name"] == "Andel med medicinliste"
    document = audit.documents[0].value["document"]
    assert document.title == "Registreringsskema til epikriser"
    assert document.file_extension == "xlsx"

    review = ThinkSmartReviewPage.objects.get()
    assert "Færre undersøgelser" in review.expected_consequences[0].value


def test_without_publish_the_pages_are_drafts(sections):
    run_import(SAMPLES / "valid")
    assert GuidelinePage.objects.get().live is False
    assert CasePage.objects.live().count() == 0


def test_rerunning_updates_instead_of_duplicating(sections, tmp_path):
    folder = tmp_path / "import"
    shutil.copytree(SAMPLES / "valid", folder)
    run_import(folder, "--publish")
    path = folder / "konference-case.md"
    path.write_text(path.read_text(encoding="utf-8").replace("træthed", "åndenød"), encoding="utf-8")

    out, _err, failure = run_import(folder, "--publish")

    assert failure is None
    assert "Oprettet: 0, opdateret: 5" in out
    assert CasePage.objects.count() == 1
    assert GuidelinePage.objects.count() == 1
    assert get_document_model().objects.count() == 1
    assert "åndenød" in CasePage.objects.get().body[0].value


def test_malformed_files_are_reported_and_nothing_from_them_is_saved(sections, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(SAMPLES / "valid", folder)
    for path in (SAMPLES / "malformed").iterdir():
        shutil.copy(path, folder)

    out, err, failure = run_import(folder, "--publish")

    assert failure is not None  # the command exits non-zero when any file failed
    assert "Oprettet: 5, opdateret: 0, fejlet: 4" in out
    assert "ugyldig-yaml.md: ugyldig YAML" in err
    assert "ukendt-speciale.md: ukendte specialer: tandlaegevidenskab" in err
    assert "mangler-sygehus.md: en retningslinje skal have både '# Almen praksis' og '# Sygehus'" in err
    assert "uden-front-matter.md: mangler YAML-front matter" in err
    # The topics named only in the bad files were rolled back with them.
    assert not Topic.objects.filter(
        name__in=["Helt nyt emne fra en fejlfil", "Hovedpine fra fejlfil"]
    ).exists()
    assert not CasePage.objects.filter(title__startswith="Et eksempel med").exists()
    assert not GuidelinePage.objects.filter(title="Retningslinje uden sygehusvariant").exists()


def test_unknown_parent_is_an_error_naming_it(tmp_path):
    (tmp_path / "x.md").write_text(
        "---\ntype: case\ntitle: Forældreløs\nparent: findes-ikke\n---\nTekst\n", encoding="utf-8"
    )
    _out, err, failure = run_import(tmp_path)
    assert failure is not None
    assert "x.md: sektionen 'findes-ikke' (parent) findes ikke" in err


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [
        ("type: opskrift\ntitle: X\nparent: gode-eksempler", "ukendt type 'opskrift'"),
        ("type: case\ntitle: X\nparent: gode-eksempler\nfarve: blå", "ukendte felter for case: farve"),
        ("type: case\nparent: gode-eksempler", "mangler 'title'"),
        ("type: case\ntitle: X\nparent: gode-eksempler\nnext_review: snart", "'next_review' er ikke en dato"),
        ("type: case\ntitle: X\nparent: gode-eksempler\nsector: [tandlæge]", "ukendte sektorer: tandlæge"),
        ("- bare\n- en liste", "front matter skal være en YAML-ordbog"),
    ],
)
def test_each_kind_of_bad_front_matter_has_a_clear_reason(sections, tmp_path, front_matter, reason):
    (tmp_path / "fil.md").write_text(f"---\n{front_matter}\n---\nTekst\n", encoding="utf-8")
    _out, err, failure = run_import(tmp_path)
    assert failure is not None
    assert reason in err


def test_document_outside_the_folder_is_refused(sections, tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntype: audit\ntitle: A\nparent: audit\ndocuments:\n  - file: ../../etc/passwd\n---\nx\n",
        encoding="utf-8",
    )
    _out, err, failure = run_import(tmp_path)
    assert failure is not None
    assert "ligger uden for mappen" in err
    assert get_document_model().objects.count() == 0


def test_not_a_folder_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_markdown", str(tmp_path / "nope"))


def test_a_csv_audit_document_is_refused(sections, tmp_path):
    (tmp_path / "skema.csv").write_text("a;b\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(
        "---\ntype: audit\ntitle: A\nparent: audit\ndocuments:\n  - file: skema.csv\n---\nx\n",
        encoding="utf-8",
    )
    _out, err, failure = run_import(tmp_path)
    assert failure is not None
    assert "skal være PDF, Excel eller Word" in err
    assert get_document_model().objects.count() == 0
