from django import template
from django.utils.html import format_html

from zel import idempotency

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_field(context) -> str:
    """The hidden key of a create form: the submitted one when the form comes back with errors (nothing
    was created), a new one on a fresh form (zel.idempotency)."""
    request = context.get("request")
    key = idempotency.key_from(request) if request is not None and request.method == "POST" else None
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD,
                       str(key) if key else idempotency.new_key())
