from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapports")

    def ready(self) -> None:
        from zel import demo, navigation, periods

        from . import access, demo_outcomes
        from . import demo as demo_data
        from . import periods as declared

        navigation.register(navigation.NavItem(_("Rapports"), "reports:report_list", access.can_use_reports, order=50))
        navigation.register(navigation.NavItem(_("Pilotage"), "reports:dashboard", access.can_use_dashboard,
                                               order=51))
        periods.register(declared.declared_quarter)
        demo.register("reports-outcomes", demo_outcomes.seed, order=35)
        demo.register("reports", demo_data.seed, order=40)
