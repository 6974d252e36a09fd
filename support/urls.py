from django.urls import path

from . import views, views_aid

app_name = "support"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("passation/", views.handover, name="handover"),
    path("visites/", views.visit_list, name="visit_list"),
    path("visites/export.csv", views.visit_export, name="visit_export"),
    path("visite/nouvelle/", views.visit_new, name="visit_new"),
    path("visite/<int:pk>/", views.visit_detail, name="visit"),
    path("visite/<int:pk>/modifier/", views.visit_edit, name="visit_edit"),
    path("visite/<int:pk>/complement/", views.visit_addendum, name="visit_addendum"),
    path("menage/<int:pk>/", views.household_support, name="household"),
    path("menage/<int:pk>/diagnostic/nouveau/", views.diagnosis_new, name="diagnosis_new"),
    path("diagnostic/<int:pk>/", views.diagnosis_detail, name="diagnosis"),
    path("diagnostic/<int:pk>/modifier/", views.diagnosis_edit, name="diagnosis_edit"),
    path("menage/<int:pk>/accompagnement/ouvrir/", views.episode_open, name="episode_open"),
    path("accompagnement/<int:pk>/clore/", views.episode_close, name="episode_close"),
    path("menage/<int:pk>/plan/nouveau/", views.goal_new, name="goal_new"),
    path("objectif/<int:pk>/", views.goal_edit, name="goal_edit"),
    path("menage/<int:pk>/psychologue/nouvelle/", views.psy_note_new, name="psy_note_new"),
    path("note-psychologue/<int:pk>/", views.psy_note_detail, name="psy_note"),
    path("menage/<int:pk>/budget/", views.budget, name="budget"),
    path("menage/<int:pk>/budget/modifier/", views.budget_edit, name="budget_edit"),
    # Aid applications and the document vault (issue 14)
    path("menage/<int:pk>/aides/", views_aid.aid_list, name="aid_list"),
    path("menage/<int:pk>/aides/nouvelle/", views_aid.aid_new, name="aid_new"),
    path("aide/<int:pk>/", views_aid.aid_detail, name="aid_detail"),
    path("aide/<int:pk>/modifier/", views_aid.aid_edit, name="aid_edit"),
    path("aide/<int:pk>/statut/", views_aid.aid_transition, name="aid_transition"),
    path("menage/<int:pk>/documents/", views_aid.document_list, name="document_list"),
    path("menage/<int:pk>/documents/nouveau/", views_aid.document_new, name="document_new"),
    path("document/<int:pk>/modifier/", views_aid.document_edit, name="document_edit"),
    path("document/<int:pk>/fichier/", views_aid.document_download, name="document_download"),
]
