from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Accompagnement")

    def ready(self) -> None:
        from zel import dashboard, demo, navigation, timeline
        from zel import retention as rgpd

        from . import access, aid_hooks, retention
        from . import demo as demo_data
        from .timeline import support_entries

        timeline.register(support_entries)
        navigation.register(navigation.NavItem(_("Mon tableau de bord"), "support:dashboard", access.can_use_caseload,
                                               order=10))
        demo.register("support", demo_data.seed, order=10)

        # RGPD: blank this app's free texts on anonymisation, add its sections to the subject-access export,
        # keep the files it still needs.
        rgpd.register(retention.anonymise)
        rgpd.register_export(retention.export_sections)
        rgpd.register_hold(retention.open_support_holds)

        # Aid applications and the document vault (issue 14).
        timeline.register(aid_hooks.timeline_entries)
        dashboard.register(aid_hooks.dashboard_panel, order=20)
        rgpd.register(aid_hooks.anonymise)
        rgpd.register_export(aid_hooks.export_sections)
        from . import demo_aid

        demo.register("support_aid", demo_aid.seed, order=25)
