from django.urls import path

from . import views, views_appointments, views_rgpd

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
    path("menage/<int:pk>/droit-d-acces/notes-psychologue.json", views_rgpd.notes_export,
         name="sealed_notes_export"),
    path("menage/<int:pk>/droit-d-acces/sante.json", views_rgpd.health_export, name="sealed_health_export"),
    # Appointments, reminders and the worker's calendar (issue 15)
    path("menage/<int:pk>/rendez-vous/nouveau/", views_appointments.appointment_new, name="appointment_new"),
    path("rendez-vous/<int:pk>/", views_appointments.appointment_detail, name="appointment"),
    path("rendez-vous/<int:pk>/modifier/", views_appointments.appointment_edit, name="appointment_edit"),
    path("rendez-vous/<int:pk>/statut/", views_appointments.appointment_status, name="appointment_status"),
    path("rendez-vous/statistiques/", views_appointments.appointment_figures, name="appointment_figures"),
    path("agenda/", views_appointments.agenda, name="agenda"),
    path("agenda/lien/", views_appointments.calendar_token, name="calendar_token"),
    path("agenda/<str:token>.ics", views_appointments.calendar_feed_view, name="calendar_feed"),
    path("rappels/sms/", views_appointments.sms_webhook, name="sms_webhook"),
]
