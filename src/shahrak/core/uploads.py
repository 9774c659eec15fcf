"""Uploaded files: limited in size and checked by content, not only by name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .numbers import localized

# What each accepted kind of file starts with. An .xls renamed .xlsx is an OLE2 file, not a zip.
SIGNATURES = {
    "xlsx": [b"PK\x03\x04"],
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "csv": [],  # text: checked by decoding instead
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Documents attached to records (an application's invoice, a diagnosis's report): a PDF or an
# image of at most this size, served back with its type.
DOCUMENT_KINDS = {"pdf", "png", "jpg"}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def file_size(size: int) -> str:
    """A file's size for a message, in the page's language and digits («۱۰٫۳ مگابایت»)."""
    if size < 1024:
        return ngettext("%(n)s byte", "%(n)s bytes", size) % {"n": localized(size)}
    if size < 1024 * 1024:
        return gettext("%(n)s KB") % {"n": localized(round(size / 1024, 1), 1)}
    return gettext("%(n)s MB") % {"n": localized(round(size / 1024 / 1024, 1), 1)}


def validate_upload(upload, *, kinds: set[str], max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Return the file's kind if it is one of `kinds` and small enough; else ValidationError."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(max)s.")
            % {"size": file_size(upload.size), "max": file_size(max_bytes)},
            code="file_too_large",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in kinds:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(kinds)s.")
            % {"kinds": ", ".join(sorted(kinds))},
            code="file_type",
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head.startswith(OLE2):
        raise ValidationError(
            _("This is an old Excel (.xls) file under another name. Save it as .xlsx and retry."),
            code="file_is_xls",
        )
    signatures = SIGNATURES.get(extension, [])
    if signatures and not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            _("The file's content does not match its name (.%(ext)s).") % {"ext": extension},
            code="file_content",
        )
    if extension == "csv" and b"\x00" in head:
        raise ValidationError(_("This is not a text (CSV) file."), code="file_content")
    return extension
