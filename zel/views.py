import sys

from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from zel import navigation
from zel.middleware import is_database_outage, outage_response


def home(request):
    return redirect(navigation.home_url_name(request.user))


# Error pages say nothing about the data: no object, no exception text.
@requires_csrf_token
def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # Any exception that no view caught ends here, also those of middleware (session and user loading)
    # and of the other error pages: a database that does not answer gets the friendly 503.
    if is_database_outage(sys.exc_info()[1]):
        return outage_response(request)
    # Rendered without the request: the database may be what failed, and the page must still show.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
