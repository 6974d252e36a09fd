"""Read audit: who opened which file or list, when, from where."""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest

from accounts.models import AccessLog

logger = logging.getLogger("zel.security")

# GET parameters that say how a list is shown, not what was listed.
PRESENTATION_PARAMETERS = {"page"}


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy.strip(), strict=False))
        except ValueError:
            logger.error("ZEL_TRUSTED_PROXIES: %r is not an address or a network, ignored", proxy)
    return tuple(networks)


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest, *args) -> str | None:
    """The client's address. X-Forwarded-For is read only when the request comes from a configured
    trusted proxy (ZEL_TRUSTED_PROXIES): anybody else could write any address in it. The header is read
    from the right, skipping trusted proxies; the first other address is the client.

    Extra positional arguments are ignored, so that django-axes can call it (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted_networks(tuple(getattr(settings, "ZEL_TRUSTED_PROXIES", ())))
    remote_ip = _parse(remote) if remote else None
    if remote_ip is None or not any(remote_ip in net for net in networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop_ip = _parse(hop)
        if hop_ip is None:
            return remote  # a garbled header: the proxy's own address rather than a made-up one
        if not any(hop_ip in net for net in networks):
            return str(hop_ip)
    return remote


def listed_filters(request: HttpRequest) -> dict:
    """The GET parameters that chose what a list or export holds (no paging), trimmed."""
    return {key: [value[:100] for value in request.GET.getlist(key)][:10] if len(request.GET.getlist(key)) > 1
            else request.GET.get(key, "")[:100]
            for key in sorted(request.GET)[:20] if key not in PRESENTATION_PARAMETERS}


def log_access(request: HttpRequest, obj, *, action: str = AccessLog.Action.VIEW,
               household_id: int | None = None, count: int | None = None) -> None:
    """One row of the access log. `obj` is an instance (a file, a document) or, for a list or an export,
    the model class listed: then the row holds the model's label, the filters and `count` rows."""
    if isinstance(obj, type) and issubclass(obj, Model):
        object_type, object_id = obj._meta.label_lower, ""
        details = {"liste": True, "filtres": listed_filters(request)}
        if count is not None:
            details["nombre"] = count
    elif isinstance(obj, Model):
        object_type, object_id, details = obj._meta.label_lower, str(obj.pk), {}
    else:
        raise TypeError(f"log_access needs a model instance or a model class, not {type(obj).__name__}")
    AccessLog.objects.create(
        user=request.user,
        action=action,
        object_type=object_type[:60],
        object_id=object_id,
        household_id=household_id,
        ip=client_ip(request),
        path=request.get_full_path()[:300],
        details=details,
    )
