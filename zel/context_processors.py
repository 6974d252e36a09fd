from django.urls import reverse

from zel import access
from zel import navigation as registry


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    for item in registry.navigation(user):
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    return {"nav_items": items, "can_use_admin": access.is_administrator(user)}
