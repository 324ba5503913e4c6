from django.contrib import admin

from .models import GroupKind


@admin.register(GroupKind)
class GroupKindAdmin(admin.ModelAdmin):
    """The kinds of peer group are managed here by the alliance's admins."""

    list_display = ["name", "name_en", "family", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["family", "is_active"]
