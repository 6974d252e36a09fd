"""Read audit: who opened which file, when, from where."""

from django.http import HttpRequest

from accounts.models import AccessLog


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def log_access(request: HttpRequest, obj, *, action: str = AccessLog.Action.VIEW,
               household_id: int | None = None) -> None:
    AccessLog.objects.create(
        user=request.user,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else str(obj),
        object_id=str(getattr(obj, "pk", "")),
        household_id=household_id,
        ip=client_ip(request),
        path=request.get_full_path()[:300],
    )
