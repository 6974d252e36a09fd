"""The access log screen: managers search who read what about the households of their scope.
Entries cannot be edited or deleted from the application (the admin is read-only)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zel.lib.pagination import Ordering, paginate

from . import access

# Newest first (index access_log_keyset, read backwards); the pk orders entries of the same instant.
ACCESS_LOG_ORDER = Ordering(("at", "pk"), descending=True)


def access_log(request):
    if not access.can_read_access_log(request.user):
        raise PermissionDenied
    entries = access.visible_access_log(request.user).select_related("user")
    household = request.GET.get("menage", "").strip()
    if household.isdigit():
        entries = entries.filter(household_id=int(household))
    who = request.GET.get("utilisateur", "").strip()
    if who:
        entries = entries.filter(user__username__icontains=who)
    page = paginate(request, entries, ACCESS_LOG_ORDER, per_page=50, salt="access-log")
    return render(request, "accounts/access_log.html", {"page": page, "household": household, "who": who})
