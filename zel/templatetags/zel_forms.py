"""The error summary every form page shows at the top (templates/includes/form_errors.html).

`{% error_summary form formset … %}` lists the errors of the forms and formsets given (non-field
errors first, then one link per faulty field, to the field's id); zel.js moves the focus to the
summary, which is a role=alert region so that screen readers announce it.
"""

from django import template
from django.forms import BaseFormSet, CheckboxSelectMultiple, RadioSelect
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


def _form_errors(form, prefix_label: str = "") -> list[dict]:
    entries = []
    for message in form.non_field_errors():
        entries.append({"message": f"{prefix_label}{message}", "anchor": None})
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        label = bound.label or name
        anchor = bound.auto_id or None
        if anchor and isinstance(bound.field.widget, RadioSelect | CheckboxSelectMultiple):
            anchor = f"{anchor}_0"  # the first option carries the id
        for message in errors:
            entries.append({"message": f"{prefix_label}{label} : {message}", "anchor": anchor})
    return entries


def collect_errors(*forms) -> list[dict]:
    entries: list[dict] = []
    for form in forms:
        if form is None or form == "":
            continue
        if isinstance(form, BaseFormSet):
            if not form.is_bound:
                continue
            for message in form.non_form_errors():
                entries.append({"message": str(message), "anchor": None})
            for index, subform in enumerate(form.forms, start=1):
                entries.extend(_form_errors(subform, _("Ligne %(n)d – ") % {"n": index}))
        elif getattr(form, "is_bound", False):
            entries.extend(_form_errors(form))
    return entries


@register.inclusion_tag("includes/form_errors.html")
def error_summary(*forms):
    return {"errors": collect_errors(*forms)}
