from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("demander/", views.report_request, name="report_request"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/statut/", views.report_status, name="report_status"),
    path("<int:pk>/pdf/", views.report_download, name="report_download"),
    path("<int:pk>/chiffres.csv", views.report_csv, name="report_csv"),
    path("<int:pk>/chiffres.xlsx", views.report_xlsx, name="report_xlsx"),
    path("pilotage/", views.dashboard_view, name="dashboard"),
    path("pilotage/menages/", views.dashboard_households, name="dashboard_households"),
    path("pilotage/chiffres.csv", views.dashboard_csv, name="dashboard_csv"),
    path("lignes.csv", views.row_export_csv, name="row_export"),
]
