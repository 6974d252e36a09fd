from django.urls import path

from . import views

app_name = "litigation"
urlpatterns = [
    path("", views.procedure_list, name="procedure_list"),
]
