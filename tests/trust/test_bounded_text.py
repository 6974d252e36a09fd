"""Issue 17, item 10: every free text has a ceiling, refused with a French message next to the field."""

import importlib

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from support.models import Intervention
from tests.support.test_visits import _post
from zel.lib.limits import LONG_TEXT

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "households", "support", "copil", "litigation", "reports")
# Written by the application, never typed by a user: the deadline rule's citation, a task's error.
NOT_TYPED = {("litigation", "ProcedureDeadline", "rule"), ("reports", "Report", "error")}


def _bounded(validators) -> bool:
    return any(isinstance(v, MaxLengthValidator) for v in validators)


def test_a_100000_character_visit_summary_is_refused_next_to_the_field(households, personas, as_user):
    response = _post(as_user(personas.worker), households.mine, summary="x" * 100_000)

    assert response.status_code == 400
    page = response.content.decode()
    assert ('<div class="invalid-feedback d-block" id="id_summary-error">Ce texte est trop long : '
            "10\xa0000 caractères au plus (il en compte 100\xa0000).") in page
    # The typed text comes back (nothing lost on the phone), and nothing is stored.
    assert "x" * 1000 in page
    assert not Intervention.objects.exists()


def test_a_summary_at_the_limit_is_accepted(households, personas, as_user):
    response = _post(as_user(personas.worker), households.mine, summary="x" * LONG_TEXT)
    assert response.status_code == 302
    assert len(Intervention.objects.get().summary) == LONG_TEXT


def test_every_typed_text_field_of_every_model_is_bounded():
    unbounded = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                typed = isinstance(field, models.TextField) and (app, model.__name__, field.name) not in NOT_TYPED
                if typed and not _bounded(field.validators):
                    unbounded.append(f"{model.__name__}.{field.name}")
    assert unbounded == []


def test_every_free_text_form_field_is_bounded():
    """Plain forms carry their own validator; model forms get the model field's at validation."""
    unbounded = []
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, form in vars(module).items():
            if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                continue
            model = getattr(getattr(form, "_meta", None), "model", None)
            for field_name, field in form.base_fields.items():
                if not isinstance(field, forms.CharField) or field.max_length or _bounded(field.validators):
                    continue
                model_fields = {f.name: f for f in model._meta.fields} if model is not None else {}
                if field_name in model_fields and _bounded(model_fields[field_name].validators):
                    continue
                if isinstance(field.widget, forms.Textarea) or model is not None:
                    unbounded.append(f"{name}.{field_name}")
    assert unbounded == []


def test_psychologist_note_refuses_an_endless_text(households, personas, as_user):
    client = as_user(personas.psychologist)
    response = client.post(reverse("support:psy_note_new", args=[households.mine.pk]),
                           {"occurred_on": "2025-01-02", "content": "y" * (LONG_TEXT + 1)})
    assert response.status_code == 200
    assert "Ce texte est trop long" in response.content.decode()
    assert not households.mine.psychologist_notes.exists()
