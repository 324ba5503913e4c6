from django.contrib import admin

from .models import Charter, Membership, Organisation, OrganisationPerson


class OrganisationPersonInline(admin.TabularInline):
    model = OrganisationPerson
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "region", "siren", "listed_in_directory"]
    list_filter = ["category", "region", "listed_in_directory"]
    search_fields = ["name", "siren"]
    inlines = [OrganisationPersonInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "charter", "created_at", "decided_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["signatory", "organisation", "decided_by"]
    search_fields = ["organisation__name", "signatory__email", "signatory__full_name"]


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["version", "is_current", "published_at"]
