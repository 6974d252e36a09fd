from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zel import permissions


def session_list(request):
    # Placeholder page until the app's issue lands.
    if not permissions.can_use_copil(request.user):
        raise PermissionDenied
    return render(request, "placeholder.html")
