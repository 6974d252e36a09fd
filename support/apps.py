from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Accompagnement")

    def ready(self) -> None:
        from zel import timeline

        from .timeline import support_entries

        timeline.register(support_entries)
