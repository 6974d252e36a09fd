from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopilConfig(AppConfig):
    name = "copil"
    verbose_name = _("COPIL")

    def ready(self) -> None:
        from zel import retention as rgpd
        from zel import timeline

        from . import retention
        from .timeline import copil_entries

        timeline.register(copil_entries)

        # RGPD: blank this app's free texts on anonymisation, add its sections to the subject-access export.
        rgpd.register(retention.anonymise)
        rgpd.register_export(retention.export_sections)
