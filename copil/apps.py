from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopilConfig(AppConfig):
    name = "copil"
    verbose_name = _("COPIL")

    def ready(self) -> None:
        from zel import demo, navigation, timeline
        from zel import retention as rgpd

        from . import access, retention
        from . import demo as demo_data
        from .timeline import copil_entries

        timeline.register(copil_entries)
        navigation.register(navigation.NavItem(_("COPIL"), "copil:session_list", access.can_use_copil, order=30))
        demo.register("copil", demo_data.seed, order=20)
        from . import demo_levers

        demo.register("copil_levers", demo_levers.seed, order=26)  # after support's aid demo (25)

        # RGPD: blank this app's free texts on anonymisation, add its sections to the subject-access export.
        rgpd.register(retention.anonymise)
        rgpd.register_export(retention.export_sections)
