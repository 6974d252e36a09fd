from django.urls import path

from . import views_audit

app_name = "audit"
urlpatterns = [
    path("", views_audit.access_log, name="access_log"),
]
