"""Uploads are judged by their first bytes: PDF, PNG and JPEG attachments pass; markup never does."""

import codecs
import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from portal.core.uploads import (
    MEDCOM_ATTACHMENT_KINDS,
    AttachmentField,
    AttachmentsField,
    looks_like_markup,
    validate_upload,
)
from tests.accounts.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
ZIP = b"PK\x03\x04" + b"\x00" * 60  # what docx, xlsx, pptx and odt start with


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "teal").save(buffer, fmt)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
GIF = image_bytes("GIF")
TIFF = image_bytes("TIFF")
BMP = image_bytes("BMP")


def tiff_big_endian() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "teal").save(buffer, "TIFF", tiffinfo={}, big_endian=True)
    return buffer.getvalue()


def _id(value):
    # Readable test ids: file names as they are, the bytes by position.
    return value if isinstance(value, str) and len(value) < 40 else f"{len(value)}-bytes"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def danish_messages(exc: ValidationError) -> list[str]:
    with translation.override("da"):
        return [str(message) for message in exc.messages]


# --- Attachments in the login modules ------------------------------------------------------


MEDCOM_ONLY = [
    ("figur.gif", GIF, "image/gif"),
    ("skanning.tif", TIFF, "image/tiff"),
    ("skanning.tiff", tiff_big_endian(), "image/tiff"),
    ("billede.bmp", BMP, "image/bmp"),
    ("gammel.gif", b"GIF87a" + GIF[6:], "image/gif"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), MEDCOM_ONLY, ids=_id)
def test_medcom_kinds_accept_gif_tiff_and_bmp_by_content(name, content, content_type):
    file = upload(name, content, content_type="text/html")
    assert validate_upload(file, kinds=MEDCOM_ATTACHMENT_KINDS).content_type == content_type
    assert file.content_type == content_type


@pytest.mark.parametrize(("name", "content", "content_type"), MEDCOM_ONLY, ids=_id)
def test_the_web_upload_keeps_its_narrower_list(name, content, content_type):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content, content_type))
    assert "PDF-, PNG- eller JPEG-fil" in danish_messages(error.value)[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("brev.bmp", b"BMe venligst ring til patienten i morgen tidlig"),  # text that starts with "BM"
        ("tegning.gif", SVG),
        ("side.tif", HTML),
        ("kort.bmp", b"BM"),
    ],
    ids=_id,
)
def test_medcom_kinds_refuse_look_alikes(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content), kinds=MEDCOM_ATTACHMENT_KINDS)
    assert "GIF-, TIFF- eller BMP-fil" in danish_messages(error.value)[0]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("notat.pdf", PDF, "application/pdf"), ("foto.png", PNG, "image/png"), ("scan.jpg", JPEG, "image/jpeg")],
    ids=_id,
)
def test_real_pdf_png_and_jpeg_pass_and_get_the_sniffed_content_type(name, content, content_type):
    file = upload(name, content, content_type="text/html")  # whatever the browser claimed
    kind = validate_upload(file)
    assert kind.content_type == content_type
    assert file.content_type == content_type
    assert file.read() == content  # left at the start for whoever saves it


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("tegning.svg", SVG, "image/svg+xml"),
        ("side.html", HTML, "text/html"),
        ("faktura.pdf", HTML, "application/pdf"),  # HTML disguised by name and declared type
        ("billede.png", SVG, "image/png"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream"),
        ("tekst.txt", b"bare tekst", "text/plain"),
    ],
    ids=_id,
)
def test_anything_but_pdf_png_and_jpeg_is_refused_in_danish(name, content, content_type):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content, content_type))
    assert caught.value.code == "file_type"
    assert danish_messages(caught.value) == [
        f"Filen {name} er ikke en PDF-, PNG- eller JPEG-fil. Andre filtyper, også SVG og HTML, modtages ikke."
    ]


def test_a_pdf_under_another_name_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("side.html", PDF))
    assert caught.value.code == "extension_mismatch"
    assert "passer ikke til indholdet" in danish_messages(caught.value)[0]


def test_an_empty_file_is_refused_in_danish():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("tom.pdf", b""))
    assert caught.value.code == "empty"
    assert danish_messages(caught.value) == ["Filen tom.pdf er tom."]


def test_an_oversized_file_is_refused_in_danish(settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("stor.pdf", PDF + b"0" * (2 * 1024 * 1024)))
    assert caught.value.code == "too_large"
    assert danish_messages(caught.value) == ["Filen stor.pdf er for stor. Grænsen er 2 MB."]


def test_the_default_limits_are_ten_mb_and_ten_files(settings):
    from portal.settings import base

    assert base.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    assert base.UPLOAD_MAX_FILES == 10


class AttachmentForm(forms.Form):
    attachment = AttachmentField(required=False)
    attachments = AttachmentsField(required=False)


def test_too_many_files_are_refused_in_danish(settings):
    settings.UPLOAD_MAX_FILES = 2
    files = [upload(f"bilag{n}.pdf", PDF) for n in range(3)]
    form = AttachmentForm(data={}, files=_multi({"attachments": files}))
    with translation.override("da"):
        assert not form.is_valid()
        assert form.errors["attachments"] == ["Du kan højst vedhæfte 2 filer ad gangen."]


def test_the_attachments_field_reports_every_bad_file():
    files = [upload("ok.pdf", PDF), upload("a.svg", SVG), upload("b.html", HTML)]
    form = AttachmentForm(data={}, files=_multi({"attachments": files}))
    assert not form.is_valid()
    assert len(form.errors["attachments"]) == 2
    good = AttachmentForm(
        data={}, files=_multi({"attachments": [upload("a.pdf", PDF), upload("b.png", PNG)]})
    )
    assert good.is_valid(), good.errors
    assert [f.content_type for f in good.cleaned_data["attachments"]] == ["application/pdf", "image/png"]


def test_the_single_attachment_field_validates_too():
    assert not AttachmentForm(data={}, files=_multi({"attachment": [upload("x.pdf", HTML)]})).is_valid()
    assert AttachmentForm(data={}, files=_multi({"attachment": [upload("x.pdf", PDF)]})).is_valid()


def _multi(files: dict):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict(files)


@pytest.mark.parametrize(
    "head",
    [
        b"<html>",
        b"  \r\n\t<!doctype html>",
        codecs.BOM_UTF8 + b"\n<svg>",
        codecs.BOM_UTF16_LE + "  <script>".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "<?xml".encode("utf-16-be"),
        b"<?xml version='1.0'?>",
    ],
)
def test_markup_is_recognised_behind_boms_and_whitespace(head):
    assert looks_like_markup(head)


@pytest.mark.parametrize("head", [b"navn;alder\nHanne;42\n", PDF, ZIP, b"", codecs.BOM_UTF8 + b"a<b"])
def test_other_content_is_not_markup(head):
    assert not looks_like_markup(head)


# --- Wagtail documents and images ----------------------------------------------------------


@pytest.fixture
def editor(db):
    return UserFactory(is_superuser=True, is_staff=True)


def document_form(editor, name: str, content: bytes):
    Form = get_document_form(get_document_model())
    return Form(
        data={"title": name, "collection": Collection.get_first_root_node().pk},
        files={"file": upload(name, content)},
        user=editor,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("auditskema.pdf", PDF),
        ("skema.docx", ZIP),
        ("data.xlsx", ZIP),
        ("slides.pptx", ZIP),
        ("tekst.odt", ZIP),
        ("indikatorer.csv", "navn;værdi\nCRP;12\n".encode("cp1252")),
        ("noter.txt", codecs.BOM_UTF8 + "Læs dette".encode()),
    ],
    ids=_id,
)
def test_editors_keep_their_document_types(editor, name, content):
    form = document_form(editor, name, content)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("auditskema.pdf", HTML),
        ("skema.docx", HTML),
        ("data.csv", SVG),
        ("noter.txt", b"\n\n  <!DOCTYPE html><script>x()</script>"),
        ("noter.txt", codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le")),
        ("skema.docx", PDF),  # not what its extension promises
        ("tom.pdf", b""),
    ],
    ids=_id,
)
def test_markup_and_mismatched_documents_are_refused(editor, name, content):
    form = document_form(editor, name, content)
    assert not form.is_valid()
    assert "file" in form.errors


def test_a_refused_document_says_why_in_danish(editor):
    form = document_form(editor, "faktura.pdf", HTML)
    with translation.override("da"):
        assert not form.is_valid()
        # Wagtail's Document.clean() adds a second error about the (now missing) file's extension.
        assert form.errors["file"][0] == (
            "Filen faktura.pdf er ikke en gyldig .pdf-fil. "
            "Websider, SVG og andre filer forklædt som dokumenter modtages ikke."
        )


def image_form(editor, name: str, content: bytes):
    Form = get_image_form(get_image_model())
    return Form(
        data={"title": name, "collection": Collection.get_first_root_node().pk},
        files={"file": upload(name, content)},
        user=editor,
    )


@pytest.mark.parametrize(("name", "content"), [("foto.png", PNG), ("foto.jpg", JPEG)], ids=_id)
def test_png_and_jpeg_images_pass(editor, name, content):
    form = image_form(editor, name, content)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("name", "content"),
    [("tegning.svg", SVG), ("foto.png", SVG), ("foto.jpg", HTML), ("animation.gif", image_bytes("GIF"))],
    ids=_id,
)
def test_other_images_are_refused(editor, name, content):
    form = image_form(editor, name, content)
    assert not form.is_valid()
    assert "file" in form.errors


@pytest.mark.django_db
def test_documents_are_served_as_attachments_with_nosniff(client, settings, tmp_path):
    # On disk, as in production, where Wagtail's serve view streams the file itself.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    # A PDF would be shown inline by Wagtail's default; WAGTAILDOCS_INLINE_CONTENT_TYPES = [] stops that.
    document = get_document_model().objects.create(
        title="Auditskema", file=ContentFile(PDF, name="auditskema.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert document.url.startswith("/dokumenter/")  # through the serve view, not /media/


@pytest.mark.django_db
def test_an_oversized_multipart_post_gives_400_not_500(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 10_000
    response = client.post("/soeg/", {"bilag": upload("stor.pdf", PDF + b"0" * 50_000)})
    assert response.status_code == 400
