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


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# Content signatures of the types the document vault accepts (the name and the browser's type are
# never trusted).
_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
               (b"\x89PNG\r\n\x1a\n", "image/png"))
# Markup a browser would render: refused even after a valid signature (polyglot files).
_MARKUP = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<body", b"<iframe")


def validate_document(upload, *, max_bytes: int = DOCUMENT_MAX_BYTES) -> str:
    """A household's paper: PDF, JPEG or PNG by content, at most 10 Mo, a plain file name.
    Returns the content type found in the content; raises ValidationError in French otherwise."""
    name = getattr(upload, "name", "") or ""
    if not name or "/" in name or "\\" in name or name.startswith(".") or any(ord(c) < 32 for c in name):
        raise ValidationError(_("Le nom du fichier ne doit pas contenir de chemin ni de caractère spécial."))
    if upload.size > max_bytes:
        raise ValidationError(_("Le fichier dépasse %(mo)s Mo.") % {"mo": max_bytes // (1024 * 1024)})
    if upload.size == 0:
        raise ValidationError(_("Le fichier est vide."))
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    content_type = next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)
    lowered = head.lower()
    if content_type is None or any(tag in lowered for tag in _MARKUP):
        raise ValidationError(_("Le fichier n'est ni un PDF, ni une photo JPEG ou PNG (type vérifié sur le "
                                "contenu, pas sur le nom)."))
    return content_type
