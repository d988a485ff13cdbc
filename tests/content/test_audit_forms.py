"""Audit forms are documents editors upload (PDF, Excel, Word), shown with type and size in Danish."""

import pytest
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model

from content.blocks import AuditFormBlock
from content.templatetags.samspil_tags import document_meta

from .factories import AuditMaterialPageFactory

pytestmark = pytest.mark.django_db


def document(name: str, size: int):
    doc = get_document_model()(title=name)
    doc.file.save(name, ContentFile(b"x" * size), save=False)
    doc.file_size = size
    doc.save()
    return doc


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [
        ("skema.pdf", 120_000, "PDF, 120 kB"),
        ("skema.xlsx", 18_400, "Excel, 18 kB"),
        ("vejledning.docx", 1_460_000, "Word, 1,5 MB"),
        ("kort.pdf", 604, "PDF, 604 bytes"),
        ("en.pdf", 1, "PDF, 1 byte"),
    ],
)
def test_type_and_size_read_in_danish(name, size, expected):
    from django.utils import translation

    with translation.override("da"):
        assert document_meta(document(name, size)) == expected


def test_the_audit_page_links_the_form_with_its_type_and_size(client):
    form = document("registreringsskema.xlsx", 6_000)
    page = AuditMaterialPageFactory(
        documents=[("document", {"document": form, "title": "Registreringsskema"})]
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Registreringsskema</a>" in html
    assert "(Excel, 6 kB)" in html and "bytes" not in html


def test_a_page_saved_with_a_csv_document_still_renders(client):
    old = document("gammelt-skema.csv", 604)
    page = AuditMaterialPageFactory(documents=[("document", {"document": old, "title": "Gammelt skema"})])
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "(CSV, 604 bytes)" in response.content.decode()


def test_an_editor_cannot_choose_a_csv_export_as_an_audit_form():
    block = AuditFormBlock()
    block.clean(block.to_python({"document": document("skema.pdf", 10).pk, "title": ""}))
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"document": document("eksport.csv", 10).pk, "title": ""}))
    assert "document" in error.value.block_errors


def test_the_demo_audit_forms_are_excel_workbooks():
    from pathlib import Path

    import openpyxl

    import content

    folder = Path(content.__file__).parent / "demo" / "audit"
    assert not list(folder.glob("*.csv"))
    for path in folder.glob("*.xlsx"):
        sheet = openpyxl.load_workbook(path).active
        assert sheet["A1"].value == "Løbenr." and sheet.max_row >= 20, path
