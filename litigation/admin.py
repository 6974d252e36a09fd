"""Admin of the litigation app: configuration only (the landlords' column mappings). Procedures,
rent accounts and DSFs are case data, handled on the app's own pages through their access modules."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RentImportMapping


@admin.register(RentImportMapping)
class RentImportMappingAdmin(SimpleHistoryAdmin):
    list_display = ("landlord", "lease_reference", "month", "amount_called", "housing_benefit", "amount_paid")
    search_fields = ("landlord__name", "landlord__code")
