"""Password rules beyond Django's: the CNIL recommends mixing character kinds for 12-character passwords
(délibération n° 2022-100 du 21 juillet 2022)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """At least one letter and at least one digit or symbol."""

    def validate(self, password: str, user=None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_other = any(not c.isalpha() and not c.isspace() for c in password)
        if not (has_letter and has_other):
            raise ValidationError(
                _("Le mot de passe doit contenir au moins une lettre et au moins un chiffre ou un symbole."),
                code="password_letters_and_digits")

    def get_help_text(self) -> str:
        return _("Votre mot de passe doit contenir au moins une lettre et au moins un chiffre ou un symbole.")
