from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "zel.outbox"
    label = "outbox"
    verbose_name = _("File des traitements en arrière-plan")
    default_auto_field = "django.db.models.BigAutoField"
