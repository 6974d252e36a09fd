"""Bounds on free text (issue 17, item 10): every text a user types has a ceiling, with a French
message next to the field. A 100 000-character visit summary was stored before; the limits are far
above what the work needs (a long visit report is 3 000 characters) and far below what would slow the
pages, PDFs and exports that print the text."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .formats import format_number

# Visit reports, diagnosis sections, psychologist notes, DSF sections.
LONG_TEXT = 10_000
# Comments, reasons, missing items: a paragraph.
SHORT_TEXT = 2_000


@deconstructible
class MaxTextLength(MaxLengthValidator):
    """MaxLengthValidator with a French message that gives both numbers in French format."""

    message = _("Ce texte est trop long : %(limit)s caractères au plus (il en compte %(length)s). "
                "Raccourcissez-le ou joignez un document.")

    def __call__(self, value) -> None:
        length = len(value or "")
        if length > self.limit_value:
            raise ValidationError(self.message, code="max_length", params={
                "limit": format_number(self.limit_value, 0), "length": format_number(length, 0)})


def bounded(limit: int = LONG_TEXT) -> list:
    """The validators of a free-text model or form field: `validators=bounded(SHORT_TEXT)`."""
    return [MaxTextLength(limit)]


def check_length(value: str, *, field: str, limit: int = LONG_TEXT) -> None:
    """For services that take text without a model full_clean: the same error, on `field`."""
    try:
        MaxTextLength(limit)(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
