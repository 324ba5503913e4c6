from django.contrib import admin

from .models import Commune, Department, Epci, Region


class ReferenceAdmin(admin.ModelAdmin):
    """The official data comes from `manage.py import_reference_data` alone: a hand edit would be overwritten
    by the next import, and a deletion would break the territories that point at the row."""

    list_filter = ["is_active"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ["name", "code", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(ReferenceAdmin):
    list_display = ["name", "code", "region", "is_active"]
    list_filter = ["is_active", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]


@admin.register(Epci)
class EpciAdmin(ReferenceAdmin):
    list_display = ["name", "siren", "kind", "population", "is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["name", "siren"]


@admin.register(Commune)
class CommuneAdmin(ReferenceAdmin):
    list_display = ["name", "insee_code", "department", "epci", "population", "is_active"]
    list_filter = ["is_active", "region"]
    list_select_related = ["department", "epci"]
    search_fields = ["name", "insee_code", "siren"]
