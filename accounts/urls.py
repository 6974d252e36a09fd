from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("double-authentification/", views.otp_verify, name="otp_verify"),
    path("double-authentification/activer/", views.otp_setup, name="otp_setup"),
    path("double-authentification/desactiver/", views.otp_disable, name="otp_disable"),
    path("double-authentification/codes-de-secours/", views.otp_backup_codes, name="otp_backup_codes"),
]
