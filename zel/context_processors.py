from django.urls import reverse

from zel import permissions


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    for item in permissions.navigation(user):
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    return {"nav_items": items, "can_use_admin": permissions.can_use_admin(user)}
