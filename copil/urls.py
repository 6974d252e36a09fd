from django.urls import path

from . import views

app_name = "copil"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("seances/nouvelle/", views.session_create, name="session_create"),
    path("consultation-ecrite/", views.written_create, name="written_create"),
    path("seances/<int:pk>/", views.session_detail, name="session_detail"),
    path("seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("seances/<int:pk>/publier/", views.session_publish, name="session_publish"),
    path("seances/<int:pk>/ouvrir/", views.session_open_review, name="session_open_review"),
    path("seances/<int:pk>/tenue/", views.session_hold, name="session_hold"),
    path("seances/<int:pk>/signer/", views.session_sign, name="session_sign"),
    path("seances/<int:pk>/proces-verbal.pdf", views.minutes_download, name="minutes_download"),
    path("seances/<int:pk>/proces-verbal/regenerer/", views.minutes_regenerate, name="minutes_regenerate"),
    path("seances/<int:pk>/dossiers/ajouter/", views.item_add, name="item_add"),
    path("seances/<int:pk>/dossiers/<int:item_pk>/", views.dossier, name="dossier"),
    path("seances/<int:pk>/dossiers/<int:item_pk>/modifier/", views.item_edit, name="item_edit"),
    path("seances/<int:pk>/dossiers/<int:item_pk>/retirer/", views.item_remove, name="item_remove"),
    path("seances/<int:pk>/dossiers/<int:item_pk>/avis/", views.dossier_opinion, name="dossier_opinion"),
    path("seances/<int:pk>/dossiers/<int:item_pk>/decision/", views.dossier_decide, name="dossier_decide"),
    path("seances/<int:pk>/dossiers/<int:item_pk>/decisions/<int:decision_pk>/rectifier/",
         views.decision_correct, name="decision_correct"),
]
