from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Ménages")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from zel import navigation, timeline

        from . import access
        from .timeline import household_entries

        timeline.register(household_entries)
        navigation.register(navigation.NavItem(_("Ménages"), "households:list", access.can_list_households, order=20))
        navigation.register(navigation.NavItem(_("Journal des accès"), "audit:access_log", access.can_read_access_log,
                                               order=90))
