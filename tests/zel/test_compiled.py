"""A query compiled once (zel.lib.compiled) answers for every id what the queryset would, and refuses
a builder whose SQL depends on more than its ids."""

import pytest
from django.db.models import CharField, Value

from accounts.models import Territory
from households.models import Household
from tests.factories import HouseholdFactory
from zel.lib.compiled import CompiledQuery, NotCompilable


def _names(pk: int, other: int):
    def side(household_pk: int, label: str):
        return (Household.objects.filter(pk=household_pk).order_by()
                .annotate(k=Value(label, output_field=CharField())).values_list("k", "last_name"))
    return side(pk, "a").union(side(other, "b"), all=True)


@pytest.mark.django_db
def test_each_call_reads_its_own_ids_as_the_queryset_would():
    first, second, third = (HouseholdFactory(last_name=name) for name in ("Aubertin", "Bellamy", "Chevalier"))
    compiled = CompiledQuery(_names)
    for pk, other in ((first.pk, second.pk), (third.pk, first.pk), (second.pk, 0)):
        assert sorted(compiled.rows(pk, other)) == sorted(_names(pk, other))
    assert sorted(compiled.rows(third.pk, first.pk)) == [("a", "Chevalier"), ("b", "Aubertin")]


@pytest.mark.django_db
def test_the_key_chooses_the_shape_and_each_shape_is_compiled_once():
    household = HouseholdFactory(last_name="Aubertin")
    calls = []

    def build(pk: int, with_territory: bool):
        calls.append(pk)
        qs = Household.objects.filter(pk=pk)
        return qs.values_list("last_name", "territory__code") if with_territory else qs.values_list("last_name")

    compiled = CompiledQuery(build)
    assert compiled.rows(household.pk, key=(True,)) == [("Aubertin", household.territory.code)]
    assert compiled.rows(household.pk, key=(False,)) == [("Aubertin",)]
    compiled.rows(household.pk, key=(True,))
    assert len(calls) == 4  # two stand-ins per shape, nothing more on the third call


@pytest.mark.django_db
def test_a_builder_that_reads_more_than_its_ids_is_refused():
    codes = iter(["57", "54"])

    def reads_a_value(pk: int):
        return Territory.objects.filter(pk=pk, code=next(codes)).values_list("code")

    with pytest.raises(NotCompilable):
        CompiledQuery(reads_a_value).rows(1)
    with pytest.raises(NotCompilable):  # the id never reaches the SQL as itself
        CompiledQuery(lambda pk: Territory.objects.filter(pk=pk + 1).values_list("code")).rows(1)
    with pytest.raises(NotCompilable):
        CompiledQuery(lambda pk: Territory.objects.values_list("code")).rows(1)
