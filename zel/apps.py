from django.apps import AppConfig


class ZelConfig(AppConfig):
    """The project itself as an app: its management commands (seed_demo) and the idempotency keys of
    create forms (zel.models.SubmissionKey)."""

    name = "zel"
    verbose_name = "ZEL"
