from django.contrib import admin
from django.urls import include, path

from zel import views

urlpatterns = [
    path("", views.home, name="home"),
    path("comptes/", include("django.contrib.auth.urls")),
    path("comptes/", include("accounts.urls")),
    path("menages/", include("households.urls")),
    path("accompagnement/", include("support.urls")),
    path("copil/", include("copil.urls")),
    path("contentieux/", include("litigation.urls")),
    path("rapports/", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "zel.views.error_403"
handler404 = "zel.views.error_404"
handler500 = "zel.views.error_500"
