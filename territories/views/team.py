"""The team of a territory: its members by role, the invitations managers send, and the answer to them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import dates, french
from core.decorators import login_required
from core.errors import DomainError

from .. import selectors, services
from ..access import (
    get_invitation_for_managing,
    get_invitation_for_reading,
    get_team_member_for_managing,
    get_territory_for_contributing,
    get_territory_for_managing,
)
from ..models import InvitationStatus, roles_in_family_order
from ..team_forms import InvitationAnswerForm, InviteForm, MemberChangeForm, MemberRemoveForm


def _member_forms(member, data=None):
    # Each member has their own forms on the page: distinct ids keep every label tied to its field.
    auto_id = f"id_member{member.pk}_%s"
    return (
        MemberChangeForm(
            data, auto_id=auto_id, initial={"role": member.role, "is_manager": member.is_manager}
        ),
        MemberRemoveForm(data, auto_id=f"id_remove{member.pk}_%s"),
    )


def _render_team(request, territory, rights, *, invite_form=None, submitted=None, status=200):
    """The team page. `submitted` maps a member's pk to the forms posted for them, shown again with their
    errors (and their row's management panel open) instead of blank ones."""
    submitted = submitted or {}
    members = selectors.team_members_of(territory)
    groups = []
    for role in roles_in_family_order():
        rows = []
        for member in (m for m in members if m.role == role):
            change_form, remove_form = _member_forms(member)
            posted = submitted.get(member.pk, {})
            rows.append(
                {
                    "member": member,
                    "change_form": posted.get("change", change_form),
                    "remove_form": posted.get("remove", remove_form),
                    "open": bool(posted),
                }
            )
        if rows:
            groups.append({"role": role, "rows": rows})
    invitations = []
    if rights.can_manage:
        invitations = selectors.pending_invitations_of(territory)
    return render(
        request,
        "territories/team.html",
        {
            "territory": territory,
            "rights": rights,
            "groups": groups,
            "member_count": len(members),
            "facilitators": list(territory.facilitators.order_by("full_name", "email")),
            "invitations": invitations,
            "invite_form": invite_form or InviteForm(),
        },
        status=status,
    )


def _team_url(territory_pk, anchor=""):
    return reverse("territories:team", args=[territory_pk]) + anchor


@login_required
def team(request, pk):
    territory, rights = get_territory_for_contributing(request.user, pk)
    return _render_team(request, territory, rights)


@login_required
@require_POST
def invite(request, pk):
    territory, rights = get_territory_for_managing(request.user, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("L'invitation n'est pas envoyée : corrigez les champs signalés."))
        return _render_team(request, territory, rights, invite_form=form, status=400)
    try:
        invitation = services.invitation_create(
            actor=request.user,
            territory=territory,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            is_manager=form.cleaned_data["is_manager"],
        )
    except DomainError as error:
        # The typed address stays in the form, so the manager can correct it.
        messages.error(request, error.message)
        return _render_team(request, territory, rights, invite_form=form, status=400)
    messages.success(
        request,
        _("L'invitation est envoyée à %(email)s ; son lien est valable jusqu'au %(date)s.")
        % {
            "email": invitation.email,
            "date": dates.long_date(timezone.localtime(invitation.expires_at)),
        },
    )
    return redirect(_team_url(territory.pk, "#invitations"))


@login_required
@require_POST
def member_change(request, pk, member_pk):
    member = get_team_member_for_managing(request.user, pk, member_pk)
    form, _remove = _member_forms(member, request.POST)
    if not form.is_valid():
        territory, rights = get_territory_for_managing(request.user, pk)
        messages.error(
            request,
            _("Le rôle de %(name)s n'est pas changé : corrigez les champs signalés.")
            % {"name": member.user.get_full_name()},
        )
        return _render_team(request, territory, rights, submitted={member.pk: {"change": form}}, status=400)
    try:
        changed = services.team_member_change(
            actor=request.user,
            member=member,
            role=form.cleaned_data["role"],
            is_manager=form.cleaned_data["is_manager"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        sentence = (
            _("%(name)s a désormais le rôle « %(role)s » et gère le territoire.")
            if changed.is_manager
            else _("%(name)s a désormais le rôle « %(role)s ».")
        )
        messages.success(
            request, sentence % {"name": member.user.get_full_name(), "role": changed.get_role_display()}
        )
    return redirect(_team_url(pk, f"#member-{member.pk}"))


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    member = get_team_member_for_managing(request.user, pk, member_pk)
    _change, form = _member_forms(member, request.POST)
    if not form.is_valid():
        territory, rights = get_territory_for_managing(request.user, pk)
        messages.error(
            request,
            _("%(name)s n'est pas retiré·e de l'équipe : cochez la case pour confirmer.")
            % {"name": member.user.get_full_name()},
        )
        return _render_team(request, territory, rights, submitted={member.pk: {"remove": form}}, status=400)
    try:
        services.team_member_remove(actor=request.user, member=member)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_team_url(pk, f"#member-{member.pk}"))
    if member.user_id == request.user.pk:
        messages.success(request, _("Vous avez quitté l'équipe du territoire."))
        # Someone who left may no longer see the team page.
        if not request.user.is_alliance_admin:
            return redirect("dashboards:my_space")
    else:
        messages.success(
            request, _("%(name)s est retiré·e de l'équipe.") % {"name": member.user.get_full_name()}
        )
    return redirect(_team_url(pk))


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    invitation = get_invitation_for_managing(request.user, pk, invitation_pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("L'invitation envoyée à %(email)s est annulée : son lien ne fonctionne plus.")
            % {"email": invitation.email},
        )
    return redirect(_team_url(pk, "#invitations"))


@login_required
def invitation_answer(request, token):
    invitation = get_invitation_for_reading(token)
    form = InvitationAnswerForm(request.POST or None)
    problem = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answer = form.cleaned_data["action"]
            try:
                if answer == "accept":
                    member = services.invitation_accept(user=request.user, token=token)
                else:
                    services.invitation_decline(user=request.user, token=token)
            except DomainError as error:
                problem = error.message
            else:
                if answer == "accept":
                    messages.success(
                        request,
                        _("Bienvenue dans l'équipe %(of_territory)s : vous y avez le rôle « %(role)s ».")
                        % {
                            "of_territory": french.of(invitation.territory),
                            "role": member.get_role_display(),
                        },
                    )
                    return redirect("territories:dashboard", pk=invitation.territory_id)
                messages.info(
                    request,
                    _("Vous avez décliné l'invitation à rejoindre l'équipe %(of_territory)s.")
                    % {"of_territory": french.of(invitation.territory)},
                )
                return redirect("dashboards:my_space")
        status = 400
        # The state may have changed since the page was shown (expired, revoked, answered in another tab).
        invitation.refresh_from_db()
    if problem is None:
        try:
            services.invitation_check(user=request.user, invitation=invitation)
        except DomainError as error:
            problem = error.message
    return render(
        request,
        "territories/invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "problem": problem,
            "wrong_account": problem is not None
            and invitation.is_open
            and not services.invitation_is_addressed_to(request.user, invitation),
            "accepted_by_me": invitation.status == InvitationStatus.ACCEPTED
            and invitation.answered_by_id == request.user.pk,
        },
        status=status,
    )
