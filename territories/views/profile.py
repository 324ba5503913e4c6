from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.selectors import public_organisations
from core import french
from core.decorators import admin_required, login_required
from core.editing import posted, submit
from core.errors import DomainError
from core.files import file_response

from .. import access, charts, selectors, services
from ..dashboard_sections import context_for as dashboard_context_for
from ..dashboard_sections import sections_for
from ..forms import (
    SEARCH_LIMIT,
    CodeListField,
    DeleteForm,
    DiagnosticForm,
    EpciCompositionForm,
    GovernanceFormSet,
    MilestoneForm,
    PilotForm,
    RecommendationForm,
    TerritoryCreateForm,
    TerritoryFilterForm,
    TerritoryProfileForm,
    epcis_for_sirens,
    reference_code,
    reference_label,
    reference_matches,
)
from ..models import (
    Diagnostic,
    Milestone,
    Recommendation,
    TerritoryKind,
)

PAGE_SIZE = 24
COMMUNES_PAGE_SIZE = 50


# --- Reading territories -----------------------------------------------------------------------------


def territory_list(request):
    # Ids of their own: the site's stylesheet styles #id_kind as the radio list of other forms.
    form = TerritoryFilterForm(request.GET or None, auto_id="filter_%s")
    form.is_valid()
    # The filters that are understood apply even when another one is not (its error is shown on the form).
    filters = getattr(form, "cleaned_data", {})
    territories = access.territories_visible_to(request.user)
    if filters.get("kind"):
        territories = territories.filter(kind=filters["kind"])
    if filters.get("department"):
        territories = territories.filter(selectors.in_division(department=filters["department"]))
    if filters.get("region"):
        territories = territories.filter(selectors.in_division(region=filters["region"]))
    if filters.get("pilot"):
        territories = territories.filter(is_pilot=filters["pilot"] == "oui")
    for word in (filters.get("q") or "").split()[:6]:
        territories = territories.filter(name__unaccent__icontains=word)
    territories = selectors.with_places(territories.select_related("epci")).order_by("name", "pk")
    page = Paginator(territories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "territories/list.html",
        {
            "form": form,
            "page": page,
            "can_create": request.user.is_authenticated and request.user.is_alliance_admin,
        },
    )


def _profile_context(territory, rights, records=None):
    """What the public profile and the dashboard both show (`records`: the dashboard's own read of the
    territory's records, `selectors.profile_records`)."""
    records = records or selectors.profile_records(territory)
    milestones = records["milestones"]
    return {
        "territory": territory,
        "rights": rights,
        "places": records["places"],
        "milestones": milestones,
        "trajectory_svg": charts.trajectory_svg(
            milestones,
            title=_("Trajectoire de transition %(of_name)s") % {"of_name": french.of(territory)},
        ),
        "team_size": selectors.team_size_label(territory),
    }


def territory_detail(request, pk):
    territory, rights = access.get_territory_for_user(request.user, pk)
    context = _profile_context(territory, rights)
    context["governance_bodies"] = list(territory.governance_bodies.all())
    context["facilitators"] = list(territory.facilitators.order_by("full_name", "email"))
    if territory.carrier_id:
        context["carrier_is_public"] = public_organisations().filter(pk=territory.carrier_id).exists()
    if territory.kind == TerritoryKind.COMMUNE:
        context["commune_epci"] = territory.commune.epci
    if territory.kind == TerritoryKind.GROUPING:
        context["epcis"] = list(
            territory.epcis.annotate(
                active_communes=Count("communes", filter=Q(communes__is_active=True)),
                active_population=Sum("communes__population", filter=Q(communes__is_active=True)),
            ).order_by("name")
        )
    if territory.kind in (TerritoryKind.EPCI, TerritoryKind.GROUPING):
        communes = territory.communes().select_related("department").order_by("name", "insee_code")
        context["communes_page"] = Paginator(communes, COMMUNES_PAGE_SIZE).get_page(
            request.GET.get("communes")
        )
        context["communes_open"] = "communes" in request.GET
    return render(request, "territories/detail.html", context)


def logo(request, pk):
    territory, _rights = access.get_territory_for_user(request.user, pk)
    return file_response(
        territory.logo,
        as_attachment=False,
        # A territory that is not published must not stay in shared caches.
        cache_control="public, max-age=3600" if territory.is_published else "private, max-age=3600",
        redirect=False,
    )


@login_required
def dashboard(request, pk):
    territory, rights = access.get_territory_for_private_view(request.user, pk)
    records = selectors.profile_records(territory, dashboard=True)
    context = _profile_context(territory, rights, records)

    context.update(selectors.team_context(territory))

    context["diagnostic"] = records["diagnostic"]
    latest, previous = (records["assessments"] + [None, None])[:2]
    context["latest_assessment"] = latest
    context["previous_assessment"] = previous
    if latest is not None:
        current = {score.fundamental: score.level for score in latest.score_list}
        before = {score.fundamental: score.level for score in previous.score_list} if previous else None
        context["radar_svg"] = charts.radar_svg(current, before)
        context["assessment_rows"] = [
            (score.get_fundamental_display(), score.level, (before or {}).get(score.fundamental))
            for score in latest.score_list
        ]
    # The projects by stage and the answers to the recommendations, the trainings: from the apps above.
    context.update(dashboard_context_for(territory, context))
    context["extra_sections"] = sections_for(request, territory, rights)
    return render(request, "territories/dashboard.html", context)


# --- Creating a territory ----------------------------------------------------------------------------


def _reference_choices(kind, query, *, chosen="", selected_epcis=()):
    """The choices the search offers: for a grouping, the EPCI already checked and then the matches; for
    the other kinds, the entities that match."""
    search_kind = TerritoryKind.EPCI if kind == TerritoryKind.GROUPING else kind
    matches = reference_matches(search_kind, query)
    choices = []
    if kind == TerritoryKind.GROUPING:
        checked, _unknown = epcis_for_sirens(list(selected_epcis))
        choices = [{"code": e.siren, "label": reference_label(e), "selected": True} for e in checked]
        matches = [e for e in matches if e.siren not in {c["code"] for c in choices}]
    choices += [
        {"code": reference_code(e), "label": reference_label(e), "selected": reference_code(e) == chosen}
        for e in matches
    ]
    return {
        "kind": kind,
        "query": " ".join((query or "").split()),
        "choices": choices,
        "is_full": len(matches) >= SEARCH_LIMIT,
        "too_short": 0 < len((query or "").strip()) < 2,
    }


@admin_required
def reference_search(request):
    kind = request.GET.get("kind")
    if kind not in TerritoryKind.values:
        kind = TerritoryKind.COMMUNE
    query = (request.GET.get("q") or "")[:100]
    selected = CodeListField().to_python(request.GET.getlist("epcis"))
    results = _reference_choices(kind, query, selected_epcis=selected)
    if request.htmx:
        return render(request, "territories/reference_results.html", {"results": results})
    # Opened without htmx: a page of its own, where the results are a plain list.
    return render(
        request, "territories/reference_search.html", {"results": results, "kinds": TerritoryKind.choices}
    )


@admin_required
def territory_create(request):
    form = TerritoryCreateForm(posted(request))
    saved, territory = submit(
        request,
        form,
        lambda data: services.territory_create(
            actor=request.user,
            kind=data["kind"],
            name=data["name"],
            reference=form.entity,
            epcis=form.chosen_epcis,
            grouping_kind=data["grouping_kind"],
            manager=form.manager,
            manager_role=data["manager_role"],
        ),
    )
    if saved:
        messages.success(
            request,
            ngettext(
                "Le territoire « %(name)s » est créé : %(communes)s commune, %(population)s hab.",
                "Le territoire « %(name)s » est créé : %(communes)s communes, %(population)s hab.",
                territory.commune_count,
            )
            % {
                "name": territory.name,
                "communes": intcomma(territory.commune_count),
                "population": intcomma(territory.population),
            },
        )
        return redirect("territories:dashboard", pk=territory.pk)
    if request.method == "POST":
        messages.error(request, _("Le territoire n'est pas encore créé : corrigez les champs signalés."))
    kind = form.data.get("kind") if form.is_bound else TerritoryKind.COMMUNE
    if kind not in TerritoryKind.values:
        kind = TerritoryKind.COMMUNE
    results = {}
    if form.is_bound:
        results = _reference_choices(
            kind,
            form.data.get("q") or "",
            chosen=reference_code(form.entity) if form.entity else (form.data.get("reference") or "")[:20],
            selected_epcis=[e.siren for e in form.chosen_epcis]
            or CodeListField().to_python(form.data.getlist("epcis")),
        )
    return render(request, "territories/create.html", {"form": form, "results": results})


# --- Editing the profile -----------------------------------------------------------------------------


def _epci_lines(territory):
    return "\n".join(f"{epci.siren} {epci.name}" for epci in territory.epcis.order_by("name"))


@login_required
def territory_edit(request, pk):
    territory, rights = access.get_territory_for_managing(request.user, pk)
    data = posted(request)
    form = TerritoryProfileForm(data, request.FILES or None, instance=territory)
    formset = GovernanceFormSet(data, instance=territory, prefix="governance")
    composition = None
    if rights.is_admin and territory.kind == TerritoryKind.GROUPING:
        composition = EpciCompositionForm(
            data, prefix="composition", initial={"epci_sirens": _epci_lines(territory)}
        )
    if request.method == "POST":
        valid = [form.is_valid(), formset.is_valid(), composition is None or composition.is_valid()]
        if all(valid):
            changed_epcis = (
                composition.epcis if composition is not None and composition.has_changed() else None
            )
            kept, removed = _governance(formset)
            try:
                services.territory_profile_update(
                    actor=request.user,
                    territory=form.instance,
                    governance=kept,
                    removed_governance=removed,
                    epcis=changed_epcis,
                )
            except DomainError as error:
                (composition or form).add_error(None, error.message)
            else:
                messages.success(request, _("Le profil du territoire est enregistré."))
                return redirect("territories:dashboard", pk=territory.pk)
        messages.error(request, _("Le profil n'est pas enregistré : corrigez les champs signalés."))
    return render(
        request,
        "territories/edit.html",
        {
            "territory": territory,
            "rights": rights,
            "form": form,
            "formset": formset,
            "composition": composition,
        },
    )


def _governance(formset):
    """The bodies to keep, in the order of the form (blank new rows left out), and those to delete."""
    removed = [subform.instance for subform in formset.deleted_forms]
    kept = [
        subform.instance
        for subform in formset.forms
        if subform not in formset.deleted_forms and (subform.instance.pk is not None or subform.has_changed())
    ]
    return kept, removed


@login_required
def territory_pilot(request, pk):
    territory, rights = access.get_territory_for_private_view(request.user, pk)
    if not rights.can_pilot:
        raise PermissionDenied
    form = PilotForm(posted(request), instance=territory)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.territory_publication_set(
                actor=request.user,
                territory=territory,
                is_pilot=data["is_pilot"],
                pilot_since=data["pilot_since"],
                facilitators=list(data["facilitators"]),
                carrier=data["carrier"],
                is_published=data["is_published"],
            )
            messages.success(request, _("Le statut de pilote et la publication sont enregistrés."))
            return redirect("territories:dashboard", pk=territory.pk)
        messages.error(request, _("Rien n'est enregistré : corrigez les champs signalés."))
        territory.refresh_from_db()
    return render(request, "territories/pilot.html", {"territory": territory, "rights": rights, "form": form})


# --- Trajectory --------------------------------------------------------------------------------------


def _to_dashboard(territory, anchor):
    return redirect(f"{reverse('territories:dashboard', args=[territory.pk])}#{anchor}")


def _milestone_form(request, territory, rights, milestone):
    form = MilestoneForm(posted(request), instance=milestone)
    saved, _result = submit(
        request, form, lambda data: services.milestone_save(actor=request.user, milestone=form.instance)
    )
    if saved:
        messages.success(request, _("L'étape « %(title)s » est enregistrée.") % {"title": milestone.title})
        return _to_dashboard(territory, "trajectoire")
    if request.method == "POST":
        messages.error(request, _("L'étape n'est pas enregistrée : corrigez les champs signalés."))
    return render(
        request,
        "territories/milestone_form.html",
        {"territory": territory, "rights": rights, "form": form, "milestone": milestone},
    )


@login_required
def milestone_add(request, pk):
    territory, rights = access.get_territory_for_contributing(request.user, pk)
    return _milestone_form(request, territory, rights, Milestone(territory=territory))


@login_required
def milestone_edit(request, pk, milestone_pk):
    territory, rights = access.get_territory_for_contributing(request.user, pk)
    milestone = get_object_or_404(selectors.milestones_of(territory), pk=milestone_pk)
    return _milestone_form(request, territory, rights, milestone)


@login_required
def milestone_delete(request, pk, milestone_pk):
    territory, rights = access.get_territory_for_contributing(request.user, pk)
    milestone = get_object_or_404(selectors.milestones_of(territory), pk=milestone_pk)
    form = DeleteForm(posted(request))
    saved, _result = submit(
        request, form, lambda data: services.milestone_delete(actor=request.user, milestone=milestone)
    )
    if saved:
        messages.success(request, _("L'étape « %(title)s » est supprimée.") % {"title": milestone.title})
        return _to_dashboard(territory, "trajectoire")
    if request.method == "POST":
        messages.error(request, _("L'étape n'est pas supprimée : cochez la case pour confirmer."))
    return render(
        request,
        "territories/milestone_delete.html",
        {"territory": territory, "rights": rights, "form": form, "milestone": milestone},
    )


# --- Diagnostic and recommendations ------------------------------------------------------------------


@login_required
def diagnostic_edit(request, pk):
    territory, rights = access.get_territory_for_contributing(request.user, pk)
    diagnostic = selectors.diagnostic_of(territory) or Diagnostic(territory=territory)
    form = DiagnosticForm(posted(request), instance=diagnostic)
    saved, _result = submit(
        request, form, lambda data: services.diagnostic_save(actor=request.user, diagnostic=form.instance)
    )
    if saved:
        messages.success(request, _("Le diagnostic est enregistré."))
        return _to_dashboard(territory, "diagnostic")
    if request.method == "POST":
        messages.error(request, _("Le diagnostic n'est pas enregistré : corrigez les champs signalés."))
    return render(
        request,
        "territories/diagnostic_form.html",
        {"territory": territory, "rights": rights, "form": form, "diagnostic": diagnostic},
    )


def _recommendation_form(request, territory, rights, recommendation):
    form = RecommendationForm(posted(request), instance=recommendation, diagnostic=recommendation.diagnostic)
    # Someone else may take the number between the form's check and the save: the refusal names the field.
    saved, _result = submit(
        request,
        form,
        lambda data: services.recommendation_save(
            actor=request.user, recommendation=form.instance, status=form.chosen_status
        ),
    )
    if saved:
        messages.success(
            request, _("La recommandation n°%(number)s est enregistrée.") % {"number": recommendation.number}
        )
        return _to_dashboard(territory, "diagnostic")
    if request.method == "POST":
        messages.error(request, _("La recommandation n'est pas enregistrée : corrigez les champs signalés."))
    return render(
        request,
        "territories/recommendation_form.html",
        {"territory": territory, "rights": rights, "form": form, "recommendation": recommendation},
    )


@login_required
def recommendation_add(request, pk):
    territory, rights = access.get_territory_for_contributing(request.user, pk)
    diagnostic = selectors.diagnostic_of(territory)
    if diagnostic is None:
        messages.info(request, _("Enregistrez d'abord le diagnostic : ses recommandations s'y rattachent."))
        return redirect("territories:diagnostic_edit", pk=territory.pk)
    last = diagnostic.recommendations.order_by("-number").values_list("number", flat=True).first() or 0
    recommendation = Recommendation(diagnostic=diagnostic, number=last + 1)
    return _recommendation_form(request, territory, rights, recommendation)


@login_required
def recommendation_edit(request, pk, recommendation_pk):
    territory, rights = access.get_territory_for_contributing(request.user, pk)
    recommendation = get_object_or_404(selectors.recommendations_of(territory), pk=recommendation_pk)
    return _recommendation_form(request, territory, rights, recommendation)
