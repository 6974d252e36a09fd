from django.contrib import admin

from .models import Budget, Report


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "fnavdl_amount", "own_funds_amount", "other_amount"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports are requested from the reports page and built by the worker."""

    list_display = ["quarter", "territory", "funder", "status", "requested_at", "finished_at"]
    list_filter = ["status", "territory"]
    readonly_fields = [f.name for f in Report._meta.fields]
    exclude = ["figures"]

    def has_add_permission(self, request):
        return False
