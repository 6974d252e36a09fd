from django.urls import path

from . import views

app_name = "litigation"
urlpatterns = [
    path("", views.procedure_list, name="procedure_list"),
    path("procedures/nouvelle/", views.procedure_open, name="procedure_open"),
    path("procedures/<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("procedures/<int:pk>/etape/", views.event_create, name="event_create"),
    path("procedures/<int:pk>/commissaire/", views.procedure_bailiff, name="procedure_bailiff"),
    path("actes/<int:pk>/document/", views.event_document, name="event_document"),
    path("comptes/import/", views.rent_import, name="rent_import"),
    path("comptes/<int:lease_pk>/", views.rent_account, name="rent_account"),
    path("comptes/<int:lease_pk>/plan/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("alertes/", views.early_warning_list, name="early_warning_list"),
    path("alertes/<int:pk>/orienter/", views.early_warning_refer, name="early_warning_refer"),
    path("alertes/<int:pk>/ecarter/", views.early_warning_dismiss, name="early_warning_dismiss"),
    path("dsf/<int:pk>/", views.dsf_detail, name="dsf_detail"),
    path("dsf/<int:pk>/envoi/", views.dsf_sending, name="dsf_sending"),
    path("dsf/<int:pk>/pdf/", views.dsf_pdf, name="dsf_pdf"),
]
