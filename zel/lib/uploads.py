"""Checks for uploaded files: the type is decided by the content, never by the name or the browser."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF_MAX_BYTES = 10 * 1024 * 1024
CSV_MAX_BYTES = 20 * 1024 * 1024


def validate_pdf(upload, *, max_bytes: int = PDF_MAX_BYTES) -> None:
    if upload.size > max_bytes:
        raise ValidationError(_("Le fichier dépasse %(mo)s Mo.") % {"mo": max_bytes // (1024 * 1024)})
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Le fichier n'est pas un PDF."))


def validate_text_upload(upload, *, max_bytes: int = CSV_MAX_BYTES) -> None:
    """CSV and other text files: size-limited and free of NUL bytes (binary files renamed .csv)."""
    if upload.size > max_bytes:
        raise ValidationError(_("Le fichier dépasse %(mo)s Mo.") % {"mo": max_bytes // (1024 * 1024)})
    head = upload.read(64 * 1024)
    upload.seek(0)
    if b"\x00" in head:
        raise ValidationError(_("Le fichier n'est pas un fichier texte (CSV)."))
