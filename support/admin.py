"""Admin of the support app. The operator administers, it does no case work: psychologist notes are
listed only for psychologists (an administrator sees none), and the diagnosis' health section is
left out for anyone outside the care circle. No history view on those two models (its diffs would
show the content)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import access
from .models import Diagnosis, Intervention, PlanGoal, PsychologistNote, SupportEpisode


class ScopedAdmin(SimpleHistoryAdmin):
    def get_queryset(self, request):
        return access.admin_scope(request.user, super().get_queryset(request))


@admin.register(Diagnosis)
class DiagnosisAdmin(admin.ModelAdmin):
    list_display = ("household", "kind", "done_on")
    list_filter = ("kind",)
    raw_id_fields = ("household", "created_by")

    def get_queryset(self, request):
        qs = access.admin_scope(request.user, super().get_queryset(request))
        if not access.can_read_sensitive(request.user):
            qs = qs.defer(*Diagnosis.SENSITIVE_FIELDS)
        return qs

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not access.can_read_sensitive(request.user):
            excluded += list(Diagnosis.SENSITIVE_FIELDS)
        return excluded


@admin.register(PsychologistNote)
class PsychologistNoteAdmin(admin.ModelAdmin):
    list_display = ("household", "occurred_on", "author")
    raw_id_fields = ("household", "author")

    def get_queryset(self, request):
        # Even a superuser: the permission module decides, and it says psychologists only.
        return access.visible_psychologist_notes(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can_read_psychologist_notes(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return access.can_read_psychologist_notes(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return access.can_read_psychologist_notes(request.user)


@admin.register(Intervention)
class InterventionAdmin(ScopedAdmin):
    list_display = ("household", "occurred_on", "mode", "author", "planned", "no_show")
    list_filter = ("mode", "planned", "no_show")
    raw_id_fields = ("household", "author")


@admin.register(PlanGoal)
class PlanGoalAdmin(ScopedAdmin):
    list_display = ("title", "household", "theme", "due_on", "status")
    list_filter = ("theme", "status")
    raw_id_fields = ("household", "owner", "source_intervention", "created_by")


@admin.register(SupportEpisode)
class SupportEpisodeAdmin(ScopedAdmin):
    list_display = ("household", "opened_on", "closed_on", "exit_reason")
    raw_id_fields = ("household", "opened_by", "closed_by")
