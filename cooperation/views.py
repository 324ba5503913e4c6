"""Peer groups: their outline, members, discussions, meetings and work; croisements, joint proposals and the
élus' answers; the territory's dashboard of proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import french
from core.decorators import login_required
from core.editing import submit
from core.errors import DomainError
from core.files import file_response
from core.ical import ics_response
from core.params import parse_id
from core.uploads import ATTACHMENT_CONTENT_TYPES
from territories.access import get_territory_for_private_view
from territories.models import TeamRole

from . import selectors, services
from .access import (
    can_create_group,
    get_attachment_for_member,
    get_contribution_for_member,
    get_crossing_for_user,
    get_group_for_managing,
    get_group_for_member,
    get_group_for_user,
    get_invitation_for_answering,
    get_join_request_for_managing,
    get_meeting_for_member,
    get_proposal_for_answering,
    get_proposal_for_user,
    get_thread_for_member,
    managed_territories,
    proposal_is_readable,
    visible_group_ids,
)
from .forms import (
    AgreeForm,
    AnswerForm,
    ContributionForm,
    CrossingForm,
    DecisionForm,
    FollowForm,
    GroupCreateForm,
    GroupEditForm,
    InviteForm,
    JoinRequestForm,
    MeetingForm,
    ProposalForm,
    ReplyForm,
    ShareForm,
    ThreadForm,
)
from .models import (
    ProposalStatus,
)

PAGE_SIZE = 20


# --- Groups -----------------------------------------------------------------------------------------------


@login_required
def group_list(request):
    return render(
        request,
        "cooperation/groups.html",
        {**selectors.groups_of(request.user), "can_create": can_create_group(request.user)},
    )


@login_required
def group_create(request):
    if not can_create_group(request.user):
        raise PermissionDenied
    territories = selectors.creation_territories(request.user, managed_territories(request.user))
    form = GroupCreateForm(request.POST or None, user=request.user, territories=territories)
    saved, group = submit(
        request,
        form,
        lambda data: services.group_create(
            actor=request.user,
            name=data["name"],
            article=data["article"],
            kind=data["kind"],
            scope=data["scope"],
            territory=data.get("territory"),
            epcis=data.get("epcis") or (),
            description=data["description"],
            is_listed=data["is_listed"],
        ),
    )
    if saved:
        message = _("Le groupe « %(name)s » est créé : vous l'animez.") % {"name": group.name}
        messages.success(request, message)
        return redirect(group)
    return render(request, "cooperation/group_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def group_detail(request, pk):
    group, rights = get_group_for_user(request.user, pk)
    if not rights.is_member:
        return render(
            request,
            "cooperation/group_outline.html",
            {
                "group": group,
                "rights": rights,
                "facilitators": selectors.facilitators_of(group),
                "join_form": JoinRequestForm(),
                "decision_form": DecisionForm(),
                "has_requested": selectors.has_pending_request(group, request.user),
            },
        )
    page = Paginator(selectors.group_threads(group), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/group_detail.html",
        {
            "group": group,
            "rights": rights,
            "page": page,
            "upcoming": selectors.upcoming_meetings(group),
            "crossings": list(selectors.crossings_of(group)),
            "member_count": group.memberships.count(),
            "facilitators": selectors.facilitators_of(group),
            "current": "detail",
        },
    )


@login_required
def group_edit(request, pk):
    group, rights = get_group_for_managing(request.user, pk)
    form = GroupEditForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.group_update(
            actor=request.user,
            group=group,
            name=data["name"],
            article=data["article"],
            description=data["description"],
            is_listed=data["is_listed"],
        )
        messages.success(request, _("Le groupe est modifié."))
        return redirect(group)
    group.refresh_from_db()
    return render(
        request,
        "cooperation/group_edit.html",
        {"group": group, "rights": rights, "form": form, "current": "detail"},
        status=400 if form.errors else 200,
    )


def _render_members(request, group, rights, *, invite_form=None, status=200):
    pending = (
        selectors.pending_join_requests(group) if rights.can_manage else {"requests": [], "invitations": []}
    )
    return render(
        request,
        "cooperation/members.html",
        {
            "group": group,
            "rights": rights,
            "memberships": selectors.group_members(group),
            **pending,
            "invite_form": invite_form or InviteForm(),
            "decision_form": DecisionForm(),
            "current": "members",
        },
        status=status,
    )


@login_required
def members(request, pk):
    group, rights = get_group_for_member(request.user, pk)
    return _render_members(request, group, rights)


@login_required
@require_POST
def invite(request, pk):
    group, rights = get_group_for_managing(request.user, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.member_invite(
                actor=request.user,
                group=group,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("%(name)s est invité·e ; l'invitation l'attend sur la page du groupe.")
                % {"name": invitation.user.get_full_name()},
            )
            return redirect(reverse("cooperation:members", args=[group.pk]) + "#invitations")
    messages.error(request, _("L'invitation n'est pas envoyée : corrigez les champs signalés."))
    return _render_members(request, group, rights, invite_form=form, status=400)


@login_required
@require_POST
def join(request, pk):
    group, rights = get_group_for_user(request.user, pk)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Votre message est trop long (2 000 caractères au plus)."))
        return redirect(group)
    try:
        services.join_request_create(actor=request.user, group=group, message=form.cleaned_data["message"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre demande est envoyée aux animateur·ices du groupe."))
    return redirect(group)


@login_required
@require_POST
def request_decide(request, pk, request_pk):
    join_request = get_join_request_for_managing(request.user, pk, request_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["action"][0])
    else:
        try:
            services.join_request_decide(actor=request.user, join=join_request, accept=form.accepted)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            name = join_request.user.get_full_name()
            messages.success(
                request,
                (
                    _("%(name)s a rejoint le groupe.")
                    if form.accepted
                    else _("La demande %(of_name)s est déclinée.")
                )
                % {"name": name, "of_name": french.of(name, "from")},
            )
    return redirect(reverse("cooperation:members", args=[pk]))


@login_required
@require_POST
def invitation_answer(request, pk, invitation_pk):
    invitation = get_invitation_for_answering(request.user, pk, invitation_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["action"][0])
        return redirect(invitation.group)
    try:
        services.invitation_answer(actor=request.user, invitation=invitation, accept=form.accepted)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cooperation:groups")
    if form.accepted:
        messages.success(
            request, _("Bienvenue dans le groupe « %(group)s ».") % {"group": invitation.group.name}
        )
        return redirect(invitation.group)
    messages.info(request, _("Vous avez décliné l'invitation."))
    return redirect("cooperation:groups")


@login_required
@require_POST
def follow(request, pk):
    group, _rights = get_group_for_member(request.user, pk)
    form = FollowForm(request.POST)
    form.is_valid()
    follows = bool(form.cleaned_data.get("follows"))
    services.membership_follow(actor=request.user, group=group, follows=follows)
    messages.success(
        request,
        _("Vous suivez le groupe : ses nouvelles discussions et réponses vous sont notifiées.")
        if follows
        else _("Vous ne suivez plus le groupe : ses discussions ne vous sont plus notifiées."),
    )
    return redirect(reverse("cooperation:members", args=[pk]))


@login_required
def leave(request, pk):
    """The confirmation page, then (POST) leaving the group; the last animateur·ice is told why they stay."""
    group, rights = get_group_for_member(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            services.membership_leave(actor=request.user, group=group)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Vous avez quitté le groupe « %(group)s ».") % {"group": group.name})
            return redirect("cooperation:groups")
    return render(
        request,
        "cooperation/leave.html",
        {"group": group, "rights": rights, "error": error, "current": "members"},
        status=400 if error else 200,
    )


# --- Discussions ------------------------------------------------------------------------------------------


@login_required
def thread_create(request, pk):
    group, rights = get_group_for_member(request.user, pk)
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        thread = services.thread_create(
            actor=request.user,
            group=group,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            files=form.cleaned_data["files"],
        )
        messages.success(request, _("La discussion est ouverte."))
        return redirect(thread)
    return render(
        request,
        "cooperation/thread_form.html",
        {"group": group, "rights": rights, "form": form, "current": "detail"},
        status=400 if form.errors else 200,
    )


@login_required
def thread_detail(request, pk, thread_pk):
    thread, rights = get_thread_for_member(request.user, pk, thread_pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        post = services.post_reply(
            actor=request.user,
            thread=thread,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["files"],
        )
        messages.success(request, _("Votre réponse est publiée."))
        return redirect(f"{thread.get_absolute_url()}#message-{post.pk}")
    page = Paginator(selectors.thread_posts(thread), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/thread_detail.html",
        {
            "group": thread.group,
            "thread": thread,
            "rights": rights,
            "page": page,
            "form": form,
            "current": "detail",
        },
        status=400 if form.errors else 200,
    )


@login_required
def attachment(request, pk, attachment_pk):
    item = get_attachment_for_member(request.user, pk, attachment_pk)
    return file_response(
        item.file,
        filename=item.original_name,
        content_type=ATTACHMENT_CONTENT_TYPES.get(item.extension, "application/octet-stream"),
    )


# --- Meetings ---------------------------------------------------------------------------------------------


@login_required
def meetings(request, pk):
    group, rights = get_group_for_member(request.user, pk)
    return render(
        request,
        "cooperation/meetings.html",
        {"group": group, "rights": rights, **selectors.group_meetings(group), "current": "meetings"},
    )


def _meeting_form_view(request, group, rights, meeting=None):
    form = MeetingForm(request.POST or None, instance=meeting, group=group)
    saved, kept = submit(
        request,
        form,
        lambda data: services.meeting_save(
            actor=request.user,
            group=group,
            meeting=meeting,
            attendees=data["attendees"],
            **{k: data[k] for k in ("title", "starts_at", "place", "link", "agenda", "minutes")},
        ),
    )
    if saved:
        messages.success(request, _("La réunion « %(title)s » est enregistrée.") % {"title": kept.title})
        return redirect(reverse("cooperation:meetings", args=[group.pk]) + f"#reunion-{kept.pk}")
    return render(
        request,
        "cooperation/meeting_form.html",
        {"group": group, "rights": rights, "form": form, "meeting": meeting, "current": "meetings"},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_create(request, pk):
    group, rights = get_group_for_member(request.user, pk)
    return _meeting_form_view(request, group, rights)


@login_required
def meeting_edit(request, pk, meeting_pk):
    meeting, rights = get_meeting_for_member(request.user, pk, meeting_pk)
    return _meeting_form_view(request, meeting.group, rights, meeting)


@login_required
@require_POST
def meeting_cancel(request, pk, meeting_pk):
    """Cancel the meeting, or restore it (`restore` posted); either way it stays listed."""
    meeting, _rights = get_meeting_for_member(request.user, pk, meeting_pk)
    restore = "restore" in request.POST
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting, cancel=not restore)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                _("La réunion « %(title)s » est rétablie.")
                if restore
                else _("La réunion « %(title)s » est annulée.")
            )
            % {"title": meeting.title},
        )
    return redirect(reverse("cooperation:meetings", args=[pk]) + f"#reunion-{meeting.pk}")


@login_required
def meeting_ics(request, pk, meeting_pk):
    """The meeting as an .ics file, for one's agenda."""
    meeting, _rights = get_meeting_for_member(request.user, pk, meeting_pk)
    item = selectors.meeting_item(meeting)
    return ics_response(meeting.group.name, [item], filename=f"reunion-{meeting.pk}.ics")


# --- The group's work -------------------------------------------------------------------------------------


@login_required
def work(request, pk):
    group, rights = get_group_for_member(request.user, pk)
    return render(
        request,
        "cooperation/work.html",
        {"group": group, "rights": rights, "sections": selectors.group_work(group), "current": "work"},
    )


def _work_url(group_pk, contribution_pk=None):
    return reverse("cooperation:work", args=[group_pk]) + (
        f"#travail-{contribution_pk}" if contribution_pk else ""
    )


@login_required
def contribution_create(request, pk):
    group, rights = get_group_for_member(request.user, pk)
    form = ContributionForm(request.POST or None, initial={"kind": request.GET.get("nature", "view")})
    if request.method == "POST" and form.is_valid():
        contribution = services.contribution_create(actor=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("Le texte est enregistré en rédaction : les membres peuvent l'amender."))
        return redirect(_work_url(group.pk, contribution.pk))
    return render(
        request,
        "cooperation/contribution_form.html",
        {"group": group, "rights": rights, "form": form, "current": "work"},
        status=400 if form.errors else 200,
    )


@login_required
def contribution_edit(request, pk, contribution_pk):
    contribution, rights = get_contribution_for_member(request.user, pk, contribution_pk)
    form = ContributionForm(request.POST or None, instance=contribution)
    saved, _result = submit(
        request,
        form,
        lambda data: services.contribution_update(actor=request.user, contribution=contribution, **data),
    )
    if saved:
        messages.success(request, _("Le texte est modifié."))
        return redirect(_work_url(pk, contribution.pk))
    return render(
        request,
        "cooperation/contribution_form.html",
        {
            "group": contribution.group,
            "rights": rights,
            "form": form,
            "contribution": contribution,
            "current": "work",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def contribution_agree(request, pk, contribution_pk):
    contribution, _rights = get_contribution_for_member(request.user, pk, contribution_pk)
    try:
        services.contribution_agree(actor=request.user, contribution=contribution)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("« %(title)s » est validé par le groupe.") % {"title": contribution.title}
        )
    return redirect(_work_url(pk, contribution.pk))


# --- Croisements ------------------------------------------------------------------------------------------


@login_required
def crossing_create(request, pk):
    group, rights = get_group_for_managing(request.user, pk)
    form = CrossingForm(request.POST or None, choices=selectors.crossing_candidates(group, request.user))
    saved, crossing = submit(
        request,
        form,
        lambda data: services.crossing_create(
            actor=request.user,
            group=group,
            other=data["other"],
            title=data["title"],
            addressee_body=data["addressee_body"],
        ),
    )
    if saved:
        messages.success(request, _("Le croisement est ouvert."))
        return redirect(crossing)
    return render(
        request,
        "cooperation/crossing_form.html",
        {"group": group, "rights": rights, "form": form, "current": "detail"},
        status=400 if form.errors else 200,
    )


@login_required
def crossing_detail(request, pk):
    crossing, rights = get_crossing_for_user(request.user, pk)
    return render(
        request,
        "cooperation/crossing_detail.html",
        {
            "crossing": crossing,
            "rights": rights,
            "columns": selectors.crossing_columns(crossing),
            "proposals": list(selectors.with_agreements(crossing.proposals.order_by("-created_at", "-id"))),
            "share_form": ShareForm(choices=selectors.shareable_contributions(crossing, rights.my_groups)),
        },
    )


@login_required
@require_POST
def crossing_share(request, pk):
    crossing, rights = get_crossing_for_user(request.user, pk)
    form = ShareForm(request.POST, choices=selectors.shareable_contributions(crossing, rights.my_groups))
    if not form.is_valid():
        messages.error(request, _("Choisissez un texte validé par votre groupe."))
    else:
        try:
            services.crossing_share(
                actor=request.user, crossing=crossing, contribution=form.cleaned_data["contribution"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Le texte est partagé dans le croisement."))
    return redirect(crossing)


@login_required
def proposal_create(request, pk):
    crossing, rights = get_crossing_for_user(request.user, pk)
    sources = selectors.crossing_sources(crossing)
    source_pk = parse_id(request.GET.get("source"))
    source = sources.filter(pk=source_pk).first() if source_pk is not None else None
    initial = {"source": source.pk, "title": source.title, "body": source.body} if source else {}
    form = ProposalForm(request.POST or None, sources=sources, initial=initial)
    if request.method == "POST" and form.is_valid():
        proposal = services.proposal_create(actor=request.user, crossing=crossing, **form.cleaned_data)
        messages.success(
            request,
            _("La proposition commune est rédigée : chaque groupe peut maintenant donner son accord."),
        )
        return redirect(proposal)
    return render(
        request,
        "cooperation/proposal_form.html",
        {"crossing": crossing, "rights": rights, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def proposal_detail(request, pk):
    proposal, rights = get_proposal_for_user(request.user, pk)
    agree_groups = selectors.groups_to_agree_for(proposal, rights)
    answer = getattr(proposal, "answer", None)
    return render(
        request,
        "cooperation/proposal_detail.html",
        {
            "proposal": proposal,
            "crossing": proposal.crossing,
            "rights": rights,
            "agreements": list(proposal.agreements.select_related("group", "agreed_by")),
            "answer": answer,
            "agree_form": AgreeForm(groups=agree_groups)
            if agree_groups.exists() and answer is None
            else None,
            "can_address": rights.is_participant and proposal.status == ProposalStatus.SHARED,
            "can_answer": rights.is_elu and proposal.status == ProposalStatus.ADDRESSED,
            "elus": selectors.elus_of(proposal.crossing.territory),
        },
    )


@login_required
@require_POST
def proposal_agree(request, pk):
    proposal, rights = get_proposal_for_user(request.user, pk)
    if not rights.is_participant:
        raise PermissionDenied
    form = AgreeForm(request.POST, groups=selectors.groups_yet_to_agree(proposal, rights.my_groups))
    if not form.is_valid():
        messages.error(request, _("Vos groupes ont déjà donné leur accord sur cette proposition."))
    else:
        try:
            proposal = services.proposal_agree(
                actor=request.user, proposal=proposal, group=form.cleaned_data["group"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Les deux groupes sont d'accord : la proposition est partagée.")
                if proposal.status == ProposalStatus.SHARED
                else _("L'accord du groupe est enregistré ; la proposition attend celui de l'autre groupe."),
            )
    return redirect(proposal)


@login_required
@require_POST
def proposal_address(request, pk):
    proposal, rights = get_proposal_for_user(request.user, pk)
    if not rights.is_participant:
        raise PermissionDenied
    try:
        services.proposal_address(actor=request.user, proposal=proposal)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La proposition est adressée aux élu·es du territoire."))
    return redirect(proposal)


@login_required
def proposal_answer(request, pk):
    proposal, rights = get_proposal_for_answering(request.user, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_answer(
                actor=request.user,
                proposal=proposal,
                decision=form.cleaned_data["decision"],
                response=form.cleaned_data["response"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(proposal)
        messages.success(request, _("Votre réponse est transmise aux deux groupes."))
        return redirect(proposal)
    if proposal.status == ProposalStatus.ANSWERED and request.method == "GET":
        messages.info(request, _("Cette proposition a déjà reçu la réponse des élu·es."))
        return redirect(proposal)
    return render(
        request,
        "cooperation/answer_form.html",
        {"proposal": proposal, "crossing": proposal.crossing, "rights": rights, "form": form},
        status=400 if form.errors else 200,
    )


# --- The élus' space and the territory's dashboard --------------------------------------------------------


@login_required
def interpellations(request):
    """The proposals addressed to the élus of the territories where the person is an élu·e."""
    return render(
        request,
        "cooperation/interpellations.html",
        {**selectors.interpellations_of(request.user), "now": timezone.now()},
    )


@login_required
def territory_dashboard(request, pk):
    territory, rights = get_territory_for_private_view(request.user, pk)
    proposals = selectors.territory_proposals(territory)
    mine = visible_group_ids(request.user)
    is_elu = rights.member is not None and rights.member.role == TeamRole.ELU
    now = timezone.now()
    rows = [
        {
            "proposal": p,
            "wait_days": p.wait(now).days if p.addressed_at else None,
            "readable": proposal_is_readable(
                is_participant=p.crossing.group_a_id in mine or p.crossing.group_b_id in mine,
                is_elu=is_elu,
                status=p.status,
            ),
        }
        for p in proposals
    ]
    counts = {status: sum(1 for p in proposals if p.status == status) for status in ProposalStatus}
    return render(
        request,
        "cooperation/territory_dashboard.html",
        {
            "territory": territory,
            "rights": rights,
            "rows": rows,
            "counts": [(status, counts[status]) for status in ProposalStatus],
            "groups": selectors.territory_groups(territory, mine),
        },
    )
