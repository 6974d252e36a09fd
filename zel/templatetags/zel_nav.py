"""`{% crumb "app:list" label %}`: a breadcrumb item that links only when the user may open the page
(zel.navigation.may_open asks the owning app's predicate), plain text otherwise — never a link to a 403."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from zel import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def crumb(context, url_name, label, *args):
    request = context.get("request")
    user = getattr(request, "user", None)
    if navigation.may_open(user, url_name):
        return format_html('<li class="breadcrumb-item"><a href="{}">{}</a></li>', reverse(url_name, args=args), label)
    return format_html('<li class="breadcrumb-item">{}</li>', label)
