from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class FrenchDecimalsMixin:
    """Accepts "1 045,20" as well as "1045.20" in every decimal field, and shows the decimal keypad.

    Django only localises number input when asked to; French users type commas."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget = forms.TextInput(attrs={**field.widget.attrs, "inputmode": "decimal"})
                field.widget.is_localized = True

    def _clean_fields(self):
        # Thousands separators typed by users (spaces, NBSP) are not part of Django's sanitising.
        if self.is_bound:
            data = self.data.copy()
            for name, field in self.fields.items():
                key = self.add_prefix(name)
                if isinstance(field, forms.DecimalField) and isinstance(data.get(key), str):
                    data[key] = "".join(data[key].replace("€", "").split())
            self.data = data
        super()._clean_fields()


MISSING_VERSION = _("Ce formulaire est incomplet (version du dossier manquante) : rechargez la page, "
                    "refaites vos changements puis enregistrez.")


class VersionedFormMixin:
    """Optimistic locking: the form carries the version of the row it was opened on, and a POST
    without it is refused (issue 17: a missing version used to skip the check, so a stale phone tab or a
    hand-made request overwrote a newer save). The service compares the version under a row lock."""

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = instance.version
        if version is not None:
            self.fields["version"].initial = version

    def clean(self):
        data = super().clean()
        if data.get("version") is None:
            self.add_error(None, MISSING_VERSION)
        return data
def apply_validation_error(form, error: ValidationError, *, skip_fields_with_errors: bool = False) -> None:
    """Puts a service's ValidationError on a form: the messages about a field next to that field,
    the others (a plain message or list, a name the form has no field for) on top of the form.
    `skip_fields_with_errors`: a form's clean() that re-checks the service's rules adds nothing to
    a field the form already flagged. A form whose fields are not the service's names (a date and
    two times for `starts_at`/`ends_at`) maps them in `service_error_fields`.

    The one way views and forms report a service's refusal (issue 11): `exc.message_dict` raises
    AttributeError on a ValidationError raised with a plain message."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.error_list)
        return
    aliases = getattr(form, "service_error_fields", {})
    for name, errors in error.error_dict.items():
        name = aliases.get(name, name)
        field = name if name in form.fields else None
        if skip_fields_with_errors and field is not None and field in form.errors:
            continue
        form.add_error(field, errors)


def validation_error_text(error: ValidationError) -> str:
    """The same refusal as one line, for a flash message after a POST-only action."""
    return " ".join(error.messages)
