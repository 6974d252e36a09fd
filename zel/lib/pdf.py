"""One PDF helper for every app: a template and a context in, PDF bytes out (WeasyPrint).

Templates extend `templates/pdf/base_pdf.html`, which carries the print stylesheet inline: the PDF
never fetches anything over the network, and the same input gives the same text.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> bytes:
    # Imported lazily: WeasyPrint loads Pango/Cairo, which pages that never print don't need.
    from weasyprint import HTML

    html = render_html(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
