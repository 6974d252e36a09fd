from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, Organisation, Role, Territory, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("ZEL"), {"fields": ("organisation", "roles", "territories")}))
    list_display = ("username", "last_name", "first_name", "organisation", "is_active")
    list_filter = ("roles", "organisation", "is_active")
    filter_horizontal = ("roles", "territories", "groups", "user_permissions")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    filter_horizontal = ("territories",)


admin.site.register(Territory)
admin.site.register(Role)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: nobody may alter the access journal from the application."""

    list_display = ("at", "user", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
