from django import template

from accounts import demo

register = template.Library()


@register.simple_tag
def demo_accounts():
    """The demo accounts of the login page (empty unless demo mode, never in production)."""
    return demo.accounts()
