"""zel.lib.forms.apply_validation_error: the one way a service's refusal reaches a form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from zel.lib.forms import apply_validation_error, validation_error_text


class PlanForm(forms.Form):
    months = forms.IntegerField()
    note = forms.CharField(required=False)


def _form(**data):
    form = PlanForm(data={"months": "12", "note": "", **data})
    assert form.is_valid()
    return form


def test_field_errors_go_next_to_their_field_and_unknown_names_on_top():
    form = _form()
    apply_validation_error(form, ValidationError({"months": "Entre 1 et 120 échéances.",
                                                  "lease": "Bail clos.", NON_FIELD_ERRORS: "Déjà traité."}))
    assert form.errors["months"] == ["Entre 1 et 120 échéances."]
    assert sorted(form.non_field_errors()) == ["Bail clos.", "Déjà traité."]


def test_a_plain_message_goes_on_top_of_the_form():
    form = _form()
    apply_validation_error(form, ValidationError("Un plan est déjà en cours."))
    assert form.non_field_errors() == ["Un plan est déjà en cours."]
    assert "months" not in form.errors


def test_a_list_of_messages_goes_on_top_of_the_form():
    form = _form()
    apply_validation_error(form, ValidationError(["Premier motif.", ValidationError("Second motif.")]))
    assert form.non_field_errors() == ["Premier motif.", "Second motif."]


def test_a_form_rechecking_the_rules_does_not_repeat_a_field_error():
    form = _form()
    form.add_error("months", "Saisissez un nombre.")
    apply_validation_error(form, ValidationError({"months": "Entre 1 et 120 échéances.", "note": "Trop long."}),
                           skip_fields_with_errors=True)
    assert form.errors["months"] == ["Saisissez un nombre."]
    assert form.errors["note"] == ["Trop long."]


def test_the_flash_message_text_joins_every_message():
    assert validation_error_text(ValidationError({"months": "A.", "note": ["B.", "C."]})) == "A. B. C."
    assert validation_error_text(ValidationError("Refusé.")) == "Refusé."
