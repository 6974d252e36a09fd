from django import forms
from django.core.exceptions import ValidationError


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


def apply_validation_error(form, error: ValidationError, *, skip_fields_with_errors: bool = False) -> None:
    """Puts a service's ValidationError on a form: the messages about a field next to that field,
    the others (a plain message or list, a name the form has no field for) on top of the form.
    `skip_fields_with_errors`: a form's clean() that re-checks the service's rules adds nothing to
    a field the form already flagged.

    The one way views and forms report a service's refusal (issue 11): `exc.message_dict` raises
    AttributeError on a ValidationError raised with a plain message."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.error_list)
        return
    for name, errors in error.error_dict.items():
        field = name if name in form.fields else None
        if skip_fields_with_errors and field is not None and field in form.errors:
            continue
        form.add_error(field, errors)


def validation_error_text(error: ValidationError) -> str:
    """The same refusal as one line, for a flash message after a POST-only action."""
    return " ".join(error.messages)
