from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopilConfig(AppConfig):
    name = "copil"
    verbose_name = _("COPIL")

    def ready(self) -> None:
        from zel import timeline

        from .timeline import copil_entries

        timeline.register(copil_entries)
