"""Logging a visit: one screen, one submit; bad input refused in French with nothing saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Household
from support.models import Intervention, InterventionAddendum, PlanGoal

from .factories import EpisodeFactory, InterventionFactory

pytestmark = pytest.mark.django_db


def _post(client, household, **overrides):
    today = timezone.localdate()
    data = {"household": household.pk, "occurred_on": today.isoformat(), "mode": "home_visit",
            "duration_minutes": "45", "themes": ["budget", "energy_kit"], "summary": "Point budget, kit posé.",
            "participants": "Madame", "action_title": "Envoyer le dossier FSL",
            "action_due": (today + timedelta(days=7)).isoformat(), "action_theme": "rights"}
    data.update(overrides)
    return client.post(reverse("support:visit_new"), {k: v for k, v in data.items() if v is not None})


def test_home_visit_with_two_themes_and_a_next_action_in_one_submit(households, personas, as_user):
    response = _post(as_user(personas.worker), households.mine)
    visit = Intervention.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("support:visit", args=[visit.pk])
    assert visit.mode == "home_visit" and visit.themes == ["budget", "energy_kit"]
    assert visit.author == personas.worker and visit.duration_minutes == 45
    goal = PlanGoal.objects.get()
    assert (goal.title, goal.owner, goal.theme, goal.source_intervention) == (
        "Envoyer le dossier FSL", personas.worker, "rights", visit)
    assert goal.due_on == timezone.localdate() + timedelta(days=7)


def test_form_defaults_to_today_and_home_visit(households, personas, as_user):
    page = as_user(personas.worker).get(reverse("support:visit_new") + f"?menage={households.mine.pk}")
    html = page.content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html
    tag = html.split('value="home_visit"')[1].split(">")[0]
    assert "checked" in tag


def test_first_visit_of_an_admitted_household_moves_it_to_supported(households, personas, as_user):
    Household.objects.filter(pk=households.mine.pk).update(status="admitted")
    EpisodeFactory(household=households.mine)
    _post(as_user(personas.worker), households.mine)
    households.mine.refresh_from_db()
    assert households.mine.status == "supported"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"occurred_on": (timezone.localdate() + timedelta(days=3)).isoformat()}, "occurred_on",
     "ne peut pas être datée dans le futur"),
    ({"planned": "on", "occurred_on": (timezone.localdate() + timedelta(days=400)).isoformat()}, "occurred_on",
     "plus d'un an à l'avance"),
    ({"duration_minutes": "-30"}, "duration_minutes", "nombre de minutes positif"),
    ({"summary": "   "}, "summary", "compte rendu est obligatoire"),
    ({"action_due": None}, "action_due", "Indiquez une échéance"),
])
def test_bad_input_is_refused_in_french_and_nothing_saved(households, personas, as_user, overrides, field, message):
    response = _post(as_user(personas.worker), households.mine, **overrides)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    # The screen comes back with what was typed.
    assert "Point budget, kit posé." in html or field == "summary"
    assert "Envoyer le dossier FSL" in html
    assert not Intervention.objects.exists() and not PlanGoal.objects.exists()


def test_foreign_household_id_is_refused(households, personas, as_user):
    response = _post(as_user(personas.worker), households.other)
    assert response.status_code == 400
    assert "ne fait pas partie de vos dossiers" in response.content.decode()
    assert not Intervention.objects.exists()


def test_no_show_needs_no_summary(households, personas, as_user):
    response = _post(as_user(personas.worker), households.mine, summary="", no_show="on", action_title="",
                     action_due="")
    assert response.status_code == 302
    assert Intervention.objects.get().no_show


def test_planned_visit_in_the_future_is_accepted(households, personas, as_user):
    day = timezone.localdate() + timedelta(days=5)
    _post(as_user(personas.worker), households.mine, planned="on", summary="", occurred_on=day.isoformat())
    assert Intervention.objects.get().planned


def test_author_corrects_within_seven_days_then_only_addendum(households, personas, as_user):
    client = as_user(personas.worker)
    visit = InterventionFactory(household=households.mine, author=personas.worker)
    edit = reverse("support:visit_edit", args=[visit.pk])
    data = {"occurred_on": visit.occurred_on.isoformat(), "mode": "phone", "duration_minutes": 20,
            "themes": ["budget"], "summary": "Corrigé", "participants": ""}
    assert client.post(edit, data).status_code == 302
    visit.refresh_from_db()
    assert visit.summary == "Corrigé" and visit.history.count() == 2
    Intervention.objects.filter(pk=visit.pk).update(created_at=timezone.now() - timedelta(days=8))
    response = client.post(edit, {**data, "summary": "Trop tard"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.summary == "Corrigé"
    client.post(reverse("support:visit_addendum", args=[visit.pk]), {"content": "Le ménage a rappelé."})
    assert InterventionAddendum.objects.get().content == "Le ménage a rappelé."
    assert "Le ménage a rappelé." in client.get(reverse("support:visit", args=[visit.pk])).content.decode()


def test_only_the_author_may_correct(households, personas, as_user):
    visit = InterventionFactory(household=households.mine, author=personas.psychologist)
    response = as_user(personas.worker).get(reverse("support:visit_edit", args=[visit.pk]))
    assert response.status_code == 302  # back to the visit, with the addendum form
