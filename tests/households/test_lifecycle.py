"""The household lifecycle (households.lifecycle, docs/domain.md): one table, recorded steps."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from households.models import Household, StatusChange
from households.services import household_transition
from tests.factories import HouseholdFactory, walk_to

pytestmark = pytest.mark.django_db


def test_a_refused_transition_is_a_french_error_and_changes_nothing(orgs, personas):
    household = HouseholdFactory(organisation=orgs.amli)
    with pytest.raises(ValidationError, match="ne peut pas passer de « Orienté » à « Accompagné »"):
        household_transition(household=household, to=Household.Status.SUPPORTED, by=personas.manager)
    assert Household.objects.get(pk=household.pk).status == Household.Status.REFERRED
    assert not StatusChange.objects.exists()


def test_each_transition_is_recorded_and_shown_on_the_timeline(as_user, orgs, personas):
    household = HouseholdFactory(organisation=orgs.amli, workers=[personas.worker])
    household_transition(household=household, to=Household.Status.DIAGNOSED, by=personas.worker,
                         reason="Diagnostic social du 02/03/2026")
    change = StatusChange.objects.get(household=household)
    assert (change.from_status, change.to_status, change.by, change.reason) == (
        "referred", "diagnosed", personas.worker, "Diagnostic social du 02/03/2026")
    page = as_user(personas.worker).get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Statut : Orienté → Diagnostiqué" in page and "Diagnostic social du 02/03/2026" in page


def test_the_whole_pipeline_walks_through_the_table(orgs):
    household = walk_to(HouseholdFactory(organisation=orgs.amli), "supported")
    household_transition(household=household, to=Household.Status.ENDED, by=None, reason="fin")
    assert list(StatusChange.objects.filter(household=household).values_list("to_status", flat=True)) == [
        "diagnosed", "presented", "admitted", "supported", "ended"]
