"""What every page tells static/js/offline.js about offline capture (issue 19): only for the users
who log visits, and nothing about households (the caseload is fetched, never printed in a page)."""

from django.urls import reverse

from . import access


def offline(request):
    user = getattr(request, "user", None)
    if user is None or not access.can_log_visits(user):
        return {}
    return {"offline": {"user": user.pk, "caseload_url": reverse("support:offline_caseload"),
                        "sync_url": reverse("support:offline_sync"), "page_url": reverse("support:offline")}}
