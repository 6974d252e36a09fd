import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Territory, User

from . import access
from .models import Household, Track
from .selectors import search_households


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nom ou référence"), method="filter_q",
                                  widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    track = django_filters.ChoiceFilter(label=_("Volet"), choices=Track.choices, empty_label=_("Tous"))
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=Household.Status.choices,
                                         empty_label=_("Tous"))
    territory = django_filters.ModelChoiceFilter(label=_("Département"), queryset=Territory.objects.all(),
                                                 empty_label=_("Tous"))
    worker = django_filters.ModelChoiceFilter(label=_("Intervenant"), field_name="assigned_workers",
                                              queryset=User.objects.none(), empty_label=_("Tous"))

    class Meta:
        model = Household
        fields = ["q", "track", "status", "territory", "worker"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["worker"].queryset = access.assignable_workers(user)

    def filter_q(self, queryset, name, value):
        return search_households(queryset, value)
