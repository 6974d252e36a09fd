from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Ménages")

    def ready(self) -> None:
        from zel import timeline

        from .timeline import household_entries

        timeline.register(household_entries)
