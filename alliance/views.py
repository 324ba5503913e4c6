from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import audit_entries, history_of
from core.decorators import admin_required, login_required
from core.errors import DomainError
from core.files import file_response
from core.params import parse_id

from . import selectors, services
from .access import (
    get_membership_for_user,
    get_organisation_for_editing,
    get_organisation_for_user,
    membership_rights,
)
from .diff import charter_changes
from .extensions import organisation_page
from .forms import (
    AddPersonForm,
    ApplicationForm,
    CharterForm,
    DecisionForm,
    DirectoryFilterForm,
    NewOrganisationForm,
    OrganisationForm,
    ResignForm,
    WithdrawForm,
)
from .middleware import forget_charter_check
from .models import MembershipKind, MembershipStatus

PAGE_SIZE = 24


def charter(request):
    return render(request, "alliance/charter.html", {"charter": selectors.current_charter()})


# The query of a plain listing of the directory, kept rendered: these parameters only, no words searched.
_LISTING_PARAMS = {"category", "region", "show", "page"}


def _kept_listing(request, filters) -> bool:
    return (
        set(request.GET) <= _LISTING_PARAMS
        and (filters.get("show") or "organisations") == "organisations"
        and all(len(values) == 1 for values in request.GET.lists())
        and (request.GET.get("page") or "1").isdigit()
        and len(request.GET.get("page") or "") <= 4
    )


def _directory_content(request, form, filters) -> str:
    show = filters.get("show") or "organisations"
    query = (filters.get("q") or "").strip()
    if show == "persons":
        entries = selectors.public_persons().order_by("signatory__full_name", "signatory__email")
        if query:
            entries = entries.filter(signatory__full_name__unaccent__icontains=query)
    else:
        entries = selectors.public_organisations().order_by("name")
        if filters.get("category"):
            entries = entries.filter(category=filters["category"])
        if filters.get("region"):
            entries = entries.filter(region=filters["region"])
        if query:
            entries = entries.filter(name__unaccent__icontains=query)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    # No context processor: nothing of the visitor enters the content (the pagination reads the query).
    return render_to_string(
        "alliance/directory_content.html",
        {
            "form": form,
            "page": page,
            "show": show,
            "counts": selectors.directory_counts(),
            "request": request,
        },
    )


def directory(request):
    """The public directory. Its plain listings are the same for everyone and kept rendered in the cache
    (alliance.selectors.directory_listing_key); the page around them is rendered for each response."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if (not form.is_bound or form.is_valid()) and _kept_listing(request, filters):
        key = selectors.directory_listing_key(query=request.GET.urlencode(), language=get_language())
        content = cache.get(key)
        if content is None:
            content = _directory_content(request, form, filters)
            cache.set(key, content, selectors.LISTING_CACHE_SECONDS)
    else:
        content = _directory_content(request, form, filters)
    # Rendered by the template above, whose variables were escaped there.
    return render(request, "alliance/directory.html", {"content": mark_safe(content)})  # noqa: S308


def organisation(request, pk):
    org = get_organisation_for_user(request.user, pk)
    people = list(selectors.organisation_people(org))
    user = request.user
    # Names are personal data: the public sees how many people an organisation has, its people and the
    # admins see who they are.
    show_people = user.is_authenticated and (
        user.is_alliance_admin or any(link.person_id == user.pk for link in people)
    )
    membership = org.alliance_memberships.select_related("charter").order_by("-created_at").first()
    return render(
        request,
        "alliance/organisation.html",
        {
            "organisation": org,
            "people": people,
            "show_people": show_people,
            "membership": membership,
            "can_edit": show_people
            and (
                user.is_alliance_admin
                or any(link.person_id == user.pk and link.is_referent for link in people)
            ),
            "add_person_form": AddPersonForm(),
            # The territories it carries or designates, from the territories app.
            **organisation_page.context(user, org),
        },
    )


def organisation_logo(request, pk):
    org = get_organisation_for_user(request.user, pk)
    return file_response(org.logo, as_attachment=False, cache_control="private, max-age=3600", redirect=False)


@login_required
def organisation_edit(request, pk):
    org = get_organisation_for_editing(request.user, pk)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=org)
    if request.method == "POST":
        if form.is_valid():
            services.organisation_update(actor=request.user, organisation=form.instance)
            messages.success(request, _("La fiche de l'organisation est enregistrée."))
            return redirect(org)
        messages.error(request, _("La fiche n'est pas enregistrée : corrigez les champs signalés."))
        # The invalid form has written the typed values on `org`: the page's title shows the saved name.
        org.refresh_from_db()
    return render(request, "alliance/organisation_form.html", {"form": form, "organisation": org})


@login_required
@require_POST
def organisation_add_person(request, pk):
    org = get_organisation_for_editing(request.user, pk)
    form = AddPersonForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_add_person(
                actor=request.user,
                organisation=org,
                person=form.person,
                is_referent=form.cleaned_data["is_referent"],
            )
            messages.success(
                request, _("%(person)s est ajouté·e à l'organisation.") % {"person": form.person}
            )
        except DomainError as error:
            messages.error(request, error.message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(org)


@login_required
def apply(request):
    charter_obj = selectors.current_charter()
    if charter_obj is None:
        messages.error(
            request, _("Aucune charte n'est publiée pour le moment : l'adhésion n'est pas ouverte.")
        )
        return redirect("pages:home")
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, initial={"charter_version": charter_obj.version})
    org_form = NewOrganisationForm(data, request.FILES or None, prefix="org")
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        existing = form.cleaned_data.get("existing_organisation")
        wants_new = kind == MembershipKind.ORGANISATION and existing is None
        if form.cleaned_data["charter_version"] != charter_obj.version:
            form.add_error(
                None, _("La charte a changé pendant votre saisie : relisez la nouvelle version et signez-la.")
            )
            form.data = form.data.copy()
            form.data["charter_version"] = charter_obj.version
        elif not wants_new or org_form.is_valid():
            try:
                membership = services.membership_apply(
                    user=request.user,
                    kind=kind,
                    charter=charter_obj,
                    organisation=existing if kind == MembershipKind.ORGANISATION else None,
                    new_organisation=org_form.instance if wants_new else None,
                    mandate=form.cleaned_data["mandate"],
                    listed_in_directory=form.cleaned_data["listed_in_directory"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Votre candidature est envoyée : vous recevrez un e-mail à chaque étape.")
                )
                return redirect(membership)
    if request.method == "POST" and (form.errors or org_form.errors):
        messages.error(
            request, _("Votre candidature n'est pas encore envoyée : corrigez les champs signalés.")
        )
    return render(
        request, "alliance/apply.html", {"form": form, "org_form": org_form, "charter": charter_obj}
    )


@login_required
def membership(request, pk):
    obj = get_membership_for_user(request.user, pk)
    return render(
        request,
        "alliance/membership.html",
        {
            "membership": obj,
            "rights": membership_rights(request.user, obj),
            "history": history_of(obj),
            "withdraw_form": WithdrawForm(),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def membership_withdraw(request, pk):
    obj = get_membership_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cochez la case pour confirmer le retrait."))
        return redirect(obj)
    try:
        services.membership_withdraw(actor=request.user, membership=obj, reason=form.cleaned_data["reason"])
        messages.success(request, _("L'adhésion est retirée."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(obj)


@login_required
def charter_resign(request):
    charter_obj = selectors.current_charter()
    pending = list(selectors.charters_to_resign(request.user))
    if charter_obj is None or not pending:
        forget_charter_check(request)
        return redirect("dashboards:my_space")
    form = ResignForm(request.POST or None, initial={"charter_version": charter_obj.version})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["charter_version"] != charter_obj.version:
            messages.error(request, _("La charte a encore changé : relisez cette version et signez-la."))
        else:
            try:
                services.charter_resign(user=request.user, charter=charter_obj)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                forget_charter_check(request)
                messages.success(request, _("Merci : vous avez signé la nouvelle version de la charte."))
                return redirect("dashboards:my_space")
    return render(
        request,
        "alliance/charter_resign.html",
        {
            "charter": charter_obj,
            "pending": pending,
            "form": form,
            "changes": charter_changes(_oldest_signed(pending), charter_obj),
            "is_lapsed": charter_obj.deadline_passed(),
        },
    )


def _oldest_signed(pending):
    """The version the re-sign page compares with: the oldest one among the person's memberships."""
    return min((m.charter for m in pending), key=lambda charter: charter.version)


@admin_required
def review_queue(request):
    renewal = request.GET.get("renouvellement") or ""
    if renewal not in (selectors.TO_RESIGN, selectors.LAPSED):
        renewal = ""
    # Asking for those to re-sign means accepted members: the status follows.
    default = MembershipStatus.ACCEPTED if renewal else MembershipStatus.CANDIDATE
    status = request.GET.get("statut") or default
    if status not in MembershipStatus.values:
        status = default
    version = parse_id(request.GET.get("charte"))
    entries = selectors.filter_by_charter(
        selectors.memberships_with_status(status), charter_version=version, renewal=renewal
    )
    entries = entries.select_related("organisation", "signatory", "charter").order_by(
        "created_at" if status == MembershipStatus.CANDIDATE else "-created_at"
    )
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        entries = entries.filter(
            Q(organisation__name__unaccent__icontains=query)
            | Q(signatory__full_name__unaccent__icontains=query)
            | Q(signatory__email__icontains=query)
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    export = {"status": status, "q": query, "charter_version": version or "", "renewal": renewal}
    return render(
        request,
        "alliance/review_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": MembershipStatus.choices,
            "query": query,
            "version": version,
            "renewal": renewal,
            "renewals": selectors.RENEWAL_CHOICES,
            "counts": selectors.charter_counts(),
            "lapsed": selectors.lapsed_ids(page.object_list),
            "export_query": urlencode({k: v for k, v in export.items() if v}),
        },
    )


@admin_required
@require_POST
def membership_decide(request, pk):
    obj = get_membership_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "alliance/membership.html",
            {
                "membership": obj,
                "rights": membership_rights(request.user, obj),
                "history": history_of(obj),
                "decision_form": form,
                "withdraw_form": WithdrawForm(),
            },
            status=400,
        )
    actions = {
        "accept": lambda: services.membership_accept(actor=request.user, membership=obj),
        "refuse": lambda: services.membership_refuse(
            actor=request.user, membership=obj, reason=form.cleaned_data["reason"]
        ),
        "suspend": lambda: services.membership_suspend(
            actor=request.user, membership=obj, reason=form.cleaned_data["reason"]
        ),
        "reinstate": lambda: services.membership_reinstate(actor=request.user, membership=obj),
    }
    try:
        updated = actions[form.cleaned_data["decision"]]()
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(obj)
    messages.success(
        request,
        _("%(member)s : %(status)s.")
        % {"member": updated.member_name, "status": updated.get_status_display()},
    )
    return redirect("alliance:review_queue")


@admin_required
def charter_manage(request):
    current = selectors.current_charter()
    initial = {"preamble": current.preamble, "commitments": "\n".join(current.commitments)} if current else {}
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.charter_publish(
                actor=request.user,
                preamble=form.cleaned_data["preamble"],
                commitments=form.cleaned_data["commitments"],
                deadline_days=form.cleaned_data["deadline_days"],
                lapsed_listing=form.cleaned_data["lapsed_listing"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "La version %(version)s de la charte est publiée : les membres qui ont signé une version "
                    "précédente sont prévenus et invités à la signer."
                )
                % {"version": published.version},
            )
            return redirect("alliance:charter_manage")
    versions = selectors.charter_versions()
    summary = selectors.charter_counts()
    counts = {row["version"]: row["members"] for row in summary["versions"]}
    return render(
        request,
        "alliance/charter_manage.html",
        {
            "form": form,
            "versions": [(v, counts.get(v.version, 0)) for v in versions],
            "current": current,
            "counts": summary,
        },
    )


@admin_required
def audit_log(request):
    page = Paginator(audit_entries(), 50).get_page(request.GET.get("page"))
    return render(request, "alliance/audit_log.html", {"page": page})
