from django.apps import AppConfig


class ZelConfig(AppConfig):
    """The project itself as an app: its management commands (seed_demo), system checks, and the
    idempotency keys of create forms (zel.models.SubmissionKey)."""

    name = "zel"
    verbose_name = "ZEL"

    def ready(self):
        from zel import checks  # noqa: F401  (registers the checks)
