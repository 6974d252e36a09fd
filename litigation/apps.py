from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LitigationConfig(AppConfig):
    name = "litigation"
    verbose_name = _("Contentieux")

    def ready(self) -> None:
        from zel import dashboard, timeline

        from .panels import dashboard_panel, timeline_entries

        timeline.register(timeline_entries)
        dashboard.register(dashboard_panel, order=30)
