from django import forms


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
