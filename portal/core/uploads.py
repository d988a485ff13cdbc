"""Upload checks: what a file *is* is decided by its first bytes, never by its name or declared type.

The login modules accept attachments only as PDF, PNG or JPEG (``validate_upload``,
``AttachmentField``, ``AttachmentsField``). Messages from other systems may also carry what
MedCom's attachment value set (medcom-core-attachmentMimeTypes) allows: GIF, TIFF and BMP
(``MEDCOM_ATTACHMENT_KINDS``); like every attachment they are only ever served as a download.
SVG and HTML are refused because a browser runs the script inside them when they are
opened from our origin. The declared content type of an accepted file is replaced with
the sniffed one, so that nothing downstream serves what the client claimed.

Editors' Wagtail documents keep their office formats, but a file must carry the
signature its extension promises and must not be markup (``SafeDocumentForm``);
Wagtail images are PNG or JPEG only (``SafeImageForm``). Both are wired in through
``WAGTAILDOCS_DOCUMENT_FORM_BASE`` and ``WAGTAILIMAGES_IMAGE_FORM_BASE``:
https://docs.wagtail.org/en/stable/reference/settings.html#documents
"""

import codecs
import os
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

# Enough to see past a byte-order mark and leading whitespace to the first tag.
HEAD_BYTES = 1024

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"  # docx, xlsx, pptx and odt are zip containers


@dataclass(frozen=True)
class Kind:
    content_type: str
    signature: bytes
    extensions: frozenset
    #: A further check of the first bytes, for formats whose signature alone is too short.
    check: Callable[[bytes], bool] | None = None

    def matches(self, head: bytes) -> bool:
        return head.startswith(self.signature) and (self.check is None or self.check(head))


# BITMAPCOREHEADER, BITMAPINFOHEADER and its later versions: the sizes a real BMP's DIB header has.
_BMP_DIB_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}


def _is_bmp(head: bytes) -> bool:
    """A BMP also has zeroed reserved bytes and a known DIB header size: "BM" alone starts many texts."""
    return (
        len(head) >= 18
        and head[6:10] == b"\x00\x00\x00\x00"
        and int.from_bytes(head[14:18], "little") in _BMP_DIB_HEADER_SIZES
    )


ATTACHMENT_KINDS = (
    Kind("application/pdf", PDF, frozenset({"pdf"})),
    Kind("image/png", PNG, frozenset({"png"})),
    Kind("image/jpeg", JPEG, frozenset({"jpg", "jpeg"})),
)
IMAGE_KINDS = ATTACHMENT_KINDS[1:]

#: MedCom's attachment value set (v1.8.1): PDF, GIF, JPEG, PNG, TIFF and BMP.
MEDCOM_ATTACHMENT_KINDS = (
    *ATTACHMENT_KINDS,
    Kind("image/gif", b"GIF87a", frozenset({"gif"})),
    Kind("image/gif", b"GIF89a", frozenset({"gif"})),
    Kind("image/tiff", b"II*\x00", frozenset({"tif", "tiff"})),  # little-endian
    Kind("image/tiff", b"MM\x00*", frozenset({"tif", "tiff"})),  # big-endian
    Kind("image/bmp", b"BM", frozenset({"bmp"}), check=_is_bmp),
)

# Editors' document extensions and the signature each must start with; None means plain
# text (csv, txt), which has no signature and only must not be markup.
DOCUMENT_SIGNATURES = {
    "pdf": PDF,
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "csv": None,
    "txt": None,
}

_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BOM_ENCODINGS = {
    codecs.BOM_UTF32_LE: "utf-32-le",
    codecs.BOM_UTF32_BE: "utf-32-be",
    codecs.BOM_UTF8: "utf-8",
    codecs.BOM_UTF16_LE: "utf-16-le",
    codecs.BOM_UTF16_BE: "utf-16-be",
}


def read_head(file, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of an uploaded file, leaving it positioned at the start."""
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def looks_like_markup(head: bytes) -> bool:
    """True if the text starts with ``<`` (HTML, SVG, XML, a script) after a BOM and whitespace.

    Browsers sniff these as documents they render; a UTF-16 or UTF-32 file is decoded
    first, so a wide ``<`` is caught as well.
    """
    encoding = "latin-1"
    for bom in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom) :], _BOM_ENCODINGS[bom]
            break
    text = head.decode(encoding, errors="ignore")
    return text.lstrip(" \t\r\n\f\v\x00").startswith("<")


def sniff(head: bytes, kinds=ATTACHMENT_KINDS) -> Kind | None:
    return next((kind for kind in kinds if kind.matches(head)), None)


def _extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _check_size(file) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if file.size == 0:
        raise ValidationError(_("The file %(name)s is empty."), code="empty", params={"name": file.name})
    if file.size > limit:
        raise ValidationError(
            _("The file %(name)s is too large. The limit is %(mb)d MB."),
            code="too_large",
            params={"name": file.name, "mb": limit // 2**20},
        )


def validate_upload(file, kinds=ATTACHMENT_KINDS) -> Kind:
    """Refuse ``file`` unless it is a non-empty file of one of ``kinds`` within ``UPLOAD_MAX_BYTES``.

    ``kinds`` is PDF, PNG or JPEG for uploads in the portal; MedCom's wider list for imports.

    Returns the detected kind and sets ``file.content_type`` to it when the file is an
    upload, so that the type the browser declared is never stored or served.
    """
    _check_size(file)
    kind = sniff(read_head(file), kinds)
    if kind is None and kinds is MEDCOM_ATTACHMENT_KINDS:
        raise ValidationError(
            _(
                "The file %(name)s is not a PDF, PNG, JPEG, GIF, TIFF or BMP file. "
                "Other types, including SVG and HTML, are not accepted."
            ),
            code="file_type",
            params={"name": file.name},
        )
    if kind is None:
        raise ValidationError(
            _(
                "The file %(name)s is not a PDF, PNG or JPEG file. "
                "Other types, including SVG and HTML, are not accepted."
            ),
            code="file_type",
            params={"name": file.name},
        )
    if _extension(file.name) not in kind.extensions:
        raise ValidationError(
            _("The name of the file %(name)s does not match its content. Rename it to end in .%(ext)s."),
            code="extension_mismatch",
            params={"name": file.name, "ext": sorted(kind.extensions)[0]},
        )
    if isinstance(file, UploadedFile):
        file.content_type = kind.content_type
    return kind


def validate_upload_count(files) -> None:
    limit = settings.UPLOAD_MAX_FILES
    if len(files) > limit:
        raise ValidationError(
            ngettext_lazy(
                "You can attach at most %(limit)d file at a time.",
                "You can attach at most %(limit)d files at a time.",
                "limit",
            ),
            code="too_many_files",
            params={"limit": limit},
        )


class AttachmentField(forms.FileField):
    """One attachment: PDF, PNG or JPEG, checked by ``validate_upload``."""

    default_validators = [validate_upload]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several attachments in one input, at most ``UPLOAD_MAX_FILES``, each checked alone.

    Every file's errors are reported, not only the first one's, so that a user sending
    five files learns about all bad ones at once.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            return super().clean(None, initial)
        validate_upload_count(files)
        errors = []
        cleaned = []
        for file in files:
            try:
                cleaned.append(super().clean(file, initial))
                validate_upload(file)
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


def validate_document(file) -> None:
    """An editor's document: its extension's signature, and never markup in disguise."""
    if file.size == 0:
        raise ValidationError(_("The file %(name)s is empty."), code="empty", params={"name": file.name})
    head = read_head(file)
    extension = _extension(file.name)
    expected = DOCUMENT_SIGNATURES.get(extension)
    if looks_like_markup(head) or (expected is not None and not head.startswith(expected)):
        raise ValidationError(
            _(
                "The file %(name)s is not a valid .%(ext)s file. "
                "Web pages, SVG and other files disguised as documents are not accepted."
            ),
            code="file_type",
            params={"name": file.name, "ext": extension},
        )


def _new_upload(form, field: str):
    # Only a freshly uploaded file is checked: an edit that keeps the stored file
    # carries a FieldFile, which was checked when it came in.
    value = form.cleaned_data.get(field)
    return value if isinstance(value, UploadedFile) else None


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        if upload := _new_upload(self, "file"):
            validate_document(upload)
        return self.cleaned_data.get("file")


class SafeImageForm(BaseImageForm):
    def clean_file(self):
        if upload := _new_upload(self, "file"):
            # Images are limited by WAGTAILIMAGES_MAX_UPLOAD_SIZE, not the attachment limit.
            if sniff(read_head(upload), IMAGE_KINDS) is None:
                raise ValidationError(
                    _("The file %(name)s is not a PNG or JPEG image."),
                    code="file_type",
                    params={"name": upload.name},
                )
        return self.cleaned_data.get("file")
