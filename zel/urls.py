from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import RateLimitedPasswordResetView
from support import views_offline
from zel import views

urlpatterns = [
    path("", views.home, name="home"),
    # The installable app (issue 19): at the root, so that the service worker may serve every page.
    path("sw.js", views_offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_offline.manifest, name="web_manifest"),
    # Before Django's own: the password reset is rate limited (per address and per client).
    path("comptes/password_reset/", login_not_required(RateLimitedPasswordResetView.as_view()),
         name="password_reset"),
    path("comptes/", include("django.contrib.auth.urls")),
    path("comptes/", include("accounts.urls")),
    path("comptes/journal-des-acces/", include("households.urls_audit")),
    path("menages/", include("households.urls")),
    path("accompagnement/", include("support.urls")),
    path("copil/", include("copil.urls")),
    path("contentieux/", include("litigation.urls")),
    path("rapports/", include("reports.urls")),
    # The language switcher is on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "zel.views.error_403"
handler404 = "zel.views.error_404"
handler500 = "zel.views.error_500"
