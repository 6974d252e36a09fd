from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LitigationConfig(AppConfig):
    name = "litigation"
    verbose_name = _("Contentieux")

    def ready(self) -> None:
        from households import figures
        from zel import dashboard, demo, navigation, timeline
        from zel import retention as rgpd

        from . import access, retention
        from . import demo as demo_data
        from .panels import dashboard_panel, timeline_entries
        from .selectors import household_debts

        timeline.register(timeline_entries)
        # What support (a sibling, which may not import litigation) reads: the scopes documents attach to.
        from zel import providers

        providers.register(providers.VISIBLE_PROCEDURES, access.visible_procedures)
        providers.register(providers.VISIBLE_DSFS, access.visible_dsfs)
        navigation.register(navigation.NavItem(_("Contentieux"), "litigation:procedure_list",
                                               access.can_use_litigation, order=40))
        demo.register("litigation", demo_data.seed, order=30)
        figures.register_arrears(household_debts)
        dashboard.register(dashboard_panel, order=30)

        # RGPD: blank this app's free texts on anonymisation, add its sections to the subject-access export,
        # keep the files it still needs.
        rgpd.register(retention.anonymise)
        rgpd.register_export(retention.export_sections)
        rgpd.register_hold(retention.open_procedure_holds)
