from django.contrib import admin

from . import services
from .models import (
    Assessment,
    AssessmentScore,
    Diagnostic,
    GovernanceBody,
    Invitation,
    Milestone,
    Recommendation,
    TeamMember,
    Territory,
)


class GovernanceBodyInline(admin.TabularInline):
    model = GovernanceBody
    extra = 0


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    raw_id_fields = ["user"]
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["start_year", "end_year", "kind", "plan", "title", "grant_dependent"]
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "population", "commune_count", "is_pilot", "pilot_since", "is_published"]
    list_filter = ["kind", "is_pilot", "is_published"]
    search_fields = ["name"]
    # The reference tables hold tens of thousands of rows: no select box lists them all.
    raw_id_fields = ["commune", "epci", "epcis", "department", "region", "carrier"]
    filter_horizontal = ["facilitators"]
    readonly_fields = ["population", "commune_count", "created_at"]
    inlines = [GovernanceBodyInline, TeamMemberInline, MilestoneInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("carrier")

    def save_model(self, request, obj, form, change):
        # Publication goes through its service, like the platform's own page: audited, and the apps that
        # index what a territory's publication shows (the library's search) follow it.
        published = obj.is_published
        if "is_published" in form.changed_data:
            obj.is_published = form.initial.get("is_published", False)
        super().save_model(request, obj, form, change)
        services.territory_publish(actor=request.user, territory=obj, is_published=published)
        obj.is_published = published


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "territory", "role", "status", "created_at", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "territory__name"]
    raw_id_fields = ["territory", "invited_by", "answered_by"]
    readonly_fields = ["token", "created_at", "answered_at"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


@admin.register(Diagnostic)
class DiagnosticAdmin(admin.ModelAdmin):
    list_display = ["territory", "date", "authors"]
    search_fields = ["territory__name", "authors"]
    raw_id_fields = ["territory"]
    inlines = [RecommendationInline]


class AssessmentScoreInline(admin.TabularInline):
    model = AssessmentScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["territory", "date", "recorded_by", "discussed_with"]
    list_filter = ["date"]
    search_fields = ["territory__name"]
    raw_id_fields = ["territory", "recorded_by", "discussed_with"]
    inlines = [AssessmentScoreInline]
