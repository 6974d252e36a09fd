from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum, Value
from django.utils import timezone

from .models import Role, Territory, User


class ZelModelBackend(ModelBackend):
    """Loads the user with organisation, role codes and territory codes in two queries, so that the
    permission checks of a page cost none. The codes are read at every request (never cached in
    the session) so that a withdrawn role takes effect at once."""

    def get_user(self, user_id):
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        if not user or not self.user_can_authenticate(user):
            return None
        roles = (Role.objects.filter(users=user).order_by().annotate(kind=Value("role"))
                 .values_list("kind", "id", "code"))
        territories = (Territory.objects.filter(users=user).order_by().annotate(kind=Value("territory"))
                       .values_list("kind", "id", "code"))
        rows = list(roles.union(territories, all=True))
        user.__dict__["role_codes"] = frozenset(code for kind, _id, code in rows if kind == "role")
        user.__dict__["territory_codes"] = frozenset(code for kind, _id, code in rows if kind == "territory")
        user.__dict__["territory_ids"] = frozenset(pk for kind, pk, _code in rows if kind == "territory")
        return user


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped for programmatic calls that carry no request.

    Only a login form (an HTTP request) can be brute-forced; `authenticate()` without a request
    comes from code (management commands, `Client.login()` in tests) and is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        result = super().authenticate(request, username=username, password=password, **kwargs)
        if username and username_failures(username) >= settings.ZEL_LOGIN_USERNAME_CEILING:
            # The per-name ceiling, whatever the clients: the same lockout page as axes' own.
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("ZEL: too many failures for this user name")
        return result


def username_failures(username: str) -> int:
    """Failed logins for this user name from every client within the cool-off (django-axes' rows)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start"))["total"] or 0
