from django.contrib import admin

from .models import ValueDimension


@admin.register(ValueDimension)
class ValueDimensionAdmin(admin.ModelAdmin):
    """The dimensions of the value created, managed here by the alliance's admins: a new evaluation session
    takes those proposed at its opening, so retiring one never changes a session already held."""

    list_display = ["name", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    fields = ["name", "name_en", "description", "description_en", "position", "is_active"]

    def has_delete_permission(self, request, obj=None):
        # Sessions keep their grid: a dimension is retired (is_active), never deleted.
        return False
