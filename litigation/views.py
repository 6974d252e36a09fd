from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zel import permissions


def procedure_list(request):
    # Placeholder page until the app's issue lands.
    if not permissions.can_use_litigation(request.user):
        raise PermissionDenied
    return render(request, "placeholder.html")
