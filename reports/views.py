from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zel import permissions


def report_list(request):
    # Placeholder page until the app's issue lands.
    if not permissions.can_use_reports(request.user):
        raise PermissionDenied
    return render(request, "placeholder.html")
