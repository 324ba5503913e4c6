from django.contrib import admin

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
