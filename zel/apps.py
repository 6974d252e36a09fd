from django.apps import AppConfig


class ZelConfig(AppConfig):
    """The project itself as an app: its management commands (seed_demo) and no models."""

    name = "zel"
    verbose_name = "ZEL"
