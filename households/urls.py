from django.urls import path

from . import views, views_contacts, views_rgpd

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("export.csv", views.household_export, name="export"),
    path("nouveau/", views.household_create, name="create"),
    path("orientation/", views.referral_intake, name="referral_intake"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/modifier/", views.household_edit, name="edit"),
    path("<int:pk>/intervenants/", views.household_assign, name="assign"),
    path("<int:pk>/historique/", views.household_history, name="history"),
    path("<int:pk>/orientation/", views.referral_add, name="referral_add"),
    path("<int:pk>/coordonnees/", views_contacts.contacts, name="contacts"),
    path("<int:pk>/coordonnees/<int:contact_pk>/", views_contacts.contacts, name="contact_edit"),
    path("<int:pk>/donnees-personnelles/", views_rgpd.personal_data, name="personal_data"),
    path("<int:pk>/donnees-personnelles/export.json", views_rgpd.personal_data_export,
         name="personal_data_export"),
    path("<int:pk>/donnees-personnelles/effacer/", views_rgpd.personal_data_erase, name="personal_data_erase"),
]
