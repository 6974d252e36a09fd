from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import access
from .models import Household, HouseholdMember, Lease, Referral, Resource


class MemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    """The admin is for the operator: it shows the households the permission module lets them see."""

    list_display = ("reference", "last_name", "first_name", "track", "territory", "status")
    list_filter = ("track", "status", "territory")
    search_fields = ("reference", "search_text")
    inlines = [MemberInline, ResourceInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(pk__in=access.admin_households(request.user))


admin.site.register(Lease, SimpleHistoryAdmin)
admin.site.register(Referral, SimpleHistoryAdmin)
