"""Pages of a territory's training cycles (sessions, participants, attendance), awareness events and effects
journal. All of them are for the territory's contributors: its team, its facilitators and the admins."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.decorators import login_required
from core.editing import posted, submit
from core.ical import ics_response
from territories.access import get_territory_for_contributing

from . import access, selectors, services
from .forms import (
    AttendanceForm,
    AwarenessForm,
    ConfirmForm,
    CycleForm,
    EffectForm,
    ParticipantForm,
    ParticipantListForm,
    SessionForm,
)
from .models import Polarity


def _render_form(request, template, context, *, failed_message):
    if request.method == "POST":
        messages.error(request, failed_message)
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _cycle_url(cycle, anchor=""):
    return reverse("trainings:cycle_detail", args=[cycle.pk]) + (f"#{anchor}" if anchor else "")


# --- A territory's trainings -------------------------------------------------------------------------


@login_required
def index(request, pk):
    territory, rights = get_territory_for_contributing(request.user, pk)
    cycles = selectors.cycles_with_figures(territory)
    events = list(territory.awareness_events.all())
    return render(
        request,
        "trainings/index.html",
        {
            "territory": territory,
            "rights": rights,
            "cycles": cycles,
            "events": events,
            "awareness_attendees": sum(event.attendees for event in events),
        },
    )


def _cycle_form_page(request, territory, rights, form, cycle=None):
    return _render_form(
        request,
        "trainings/cycle_form.html",
        {"territory": territory, "rights": rights, "form": form, "cycle": cycle},
        failed_message=_("Le cycle n'est pas enregistré : corrigez les champs signalés."),
    )


@login_required
def cycle_create(request, pk):
    territory, rights = get_territory_for_contributing(request.user, pk)
    form = CycleForm(posted(request))
    saved, cycle = submit(
        request, form, lambda data: services.cycle_create(actor=request.user, territory=territory, **data)
    )
    if saved:
        messages.success(
            request,
            _("Le cycle « %(title)s » est créé : programmez ses séances et inscrivez les participant·es.")
            % {"title": cycle.title},
        )
        return redirect(cycle)
    return _cycle_form_page(request, territory, rights, form)


@login_required
def awareness_create(request, pk):
    territory, rights = get_territory_for_contributing(request.user, pk)
    form = AwarenessForm(posted(request), initial={"date": timezone.localdate()})
    saved, event = submit(
        request, form, lambda data: services.awareness_record(actor=request.user, territory=territory, **data)
    )
    if saved:
        messages.success(request, _("La session « %(title)s » est enregistrée.") % {"title": event.title})
        return redirect(reverse("trainings:index", args=[territory.pk]) + "#sensibilisation")
    return _render_form(
        request,
        "trainings/awareness_form.html",
        {"territory": territory, "rights": rights, "form": form, "event": None},
        failed_message=_("La session n'est pas enregistrée : corrigez les champs signalés."),
    )


@login_required
def awareness_edit(request, pk):
    event, rights = access.get_awareness_event_for_user(request.user, pk)
    form = AwarenessForm(posted(request), initial=AwarenessForm.initial_for(event))
    saved, _result = submit(
        request, form, lambda data: services.awareness_update(actor=request.user, event=event, **data)
    )
    if saved:
        messages.success(request, _("La session « %(title)s » est enregistrée.") % {"title": event.title})
        return redirect(reverse("trainings:index", args=[event.territory_id]) + "#sensibilisation")
    return _render_form(
        request,
        "trainings/awareness_form.html",
        {"territory": event.territory, "rights": rights, "form": form, "event": event},
        failed_message=_("La session n'est pas enregistrée : corrigez les champs signalés."),
    )


def _confirm_delete(request, *, territory, rights, form, title, explanation, button, cancel_url):
    return render(
        request,
        "trainings/confirm_delete.html",
        {
            "territory": territory,
            "rights": rights,
            "form": form,
            "title": title,
            "explanation": explanation,
            "button": button,
            "cancel_url": cancel_url,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def awareness_delete(request, pk):
    event, rights = access.get_awareness_event_for_user(request.user, pk)
    form = ConfirmForm(posted(request))
    index_url = reverse("trainings:index", args=[event.territory_id])
    saved, _result = submit(
        request, form, lambda data: services.awareness_delete(actor=request.user, event=event)
    )
    if saved:
        messages.success(request, _("La session « %(title)s » est supprimée.") % {"title": event.title})
        return redirect(index_url + "#sensibilisation")
    return _confirm_delete(
        request,
        territory=event.territory,
        rights=rights,
        form=form,
        title=_("Supprimer la session de sensibilisation « %(title)s »") % {"title": event.title},
        explanation=ngettext(
            "Ses %(n)s personne présente ne seront plus comptées dans la sensibilisation du territoire.",
            "Ses %(n)s personnes présentes ne seront plus comptées dans la sensibilisation du territoire.",
            event.attendees,
        )
        % {"n": event.attendees},
        button=_("Supprimer la session"),
        cancel_url=index_url + "#sensibilisation",
    )


# --- A cycle -----------------------------------------------------------------------------------------


def _render_cycle(request, cycle, rights, *, session_form=None, participant_form=None, status=200):
    grid = selectors.attendance_grid(cycle)
    return render(
        request,
        "trainings/cycle_detail.html",
        {
            "territory": cycle.territory,
            "rights": rights,
            "cycle": cycle,
            "grid": grid,
            "can_add_session": len(grid.columns) < cycle.days,
            "session_form": session_form or SessionForm(),
            "participant_form": participant_form
            or ParticipantForm(accounts=selectors.accounts_for_registration(cycle.territory)),
            "remove_form": ConfirmForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def cycle_detail(request, pk):
    cycle, rights = access.get_cycle_for_user(request.user, pk)
    return _render_cycle(request, cycle, rights)


@login_required
def cycle_edit(request, pk):
    cycle, rights = access.get_cycle_for_user(request.user, pk)
    form = CycleForm(posted(request), initial=CycleForm.initial_for(cycle))
    saved, updated = submit(
        request, form, lambda data: services.cycle_update(actor=request.user, cycle=cycle, **data)
    )
    if saved:
        messages.success(request, _("Le cycle « %(title)s » est enregistré.") % {"title": updated.title})
        return redirect(updated)
    return _cycle_form_page(request, cycle.territory, rights, form, cycle)


@login_required
def cycle_delete(request, pk):
    cycle, rights = access.get_cycle_for_user(request.user, pk)
    form = ConfirmForm(posted(request))
    saved, _result = submit(
        request, form, lambda data: services.cycle_delete(actor=request.user, cycle=cycle)
    )
    if saved:
        messages.success(request, _("Le cycle « %(title)s » est supprimé.") % {"title": cycle.title})
        return redirect("trainings:index", pk=cycle.territory_id)
    return _confirm_delete(
        request,
        territory=cycle.territory,
        rights=rights,
        form=form,
        title=_("Supprimer le cycle « %(title)s »") % {"title": cycle.title},
        explanation=_("Ses séances, ses inscriptions et ses présences seront supprimées avec lui."),
        button=_("Supprimer le cycle"),
        cancel_url=_cycle_url(cycle),
    )


@login_required
def session_add(request, pk):
    cycle, rights = access.get_cycle_for_user(request.user, pk)
    form = SessionForm(posted(request))
    saved, session = submit(
        request, form, lambda data: services.session_add(actor=request.user, cycle=cycle, **data)
    )
    if saved:
        messages.success(
            request, _("La séance du %(date)s est programmée.") % {"date": services.long_date(session.date)}
        )
        return redirect(_cycle_url(cycle, "seances"))
    if request.method == "POST":
        messages.error(request, _("La séance n'est pas programmée : corrigez les champs signalés."))
        return _render_cycle(request, cycle, rights, session_form=form, status=400)
    return _render_cycle(request, cycle, rights)


@login_required
@require_POST
def session_remove(request, pk, session_pk):
    session, _rights = access.get_session_for_user(request.user, pk, session_pk)
    form = ConfirmForm(request.POST)
    when = services.long_date(session.date)
    if not form.is_valid():
        messages.error(
            request,
            _("La séance du %(date)s n'est pas supprimée : cochez la case pour confirmer.") % {"date": when},
        )
        return redirect(_cycle_url(session.cycle, f"seance-{session.pk}"))
    services.session_remove(actor=request.user, session=session)
    messages.success(request, _("La séance du %(date)s est supprimée, avec ses présences.") % {"date": when})
    return redirect(_cycle_url(session.cycle, "seances"))


@login_required
def session_ics(request, pk, session_pk):
    """The session as an .ics file, for one's agenda."""
    session, _rights = access.get_session_for_user(request.user, pk, session_pk)
    return ics_response(
        session.cycle.title, [selectors.session_item(session)], filename=f"seance-{session.pk}.ics"
    )


@login_required
def attendance(request, pk, session_pk):
    session, rights = access.get_session_for_user(request.user, pk, session_pk)
    cycle = session.cycle
    participants = list(cycle.participants.all())
    present = list(session.attendances.values_list("participant_id", flat=True))
    form = AttendanceForm(posted(request), participants=participants, initial={"present": present})
    saved, count = submit(
        request,
        form,
        lambda data: services.attendance_record(
            actor=request.user, session=session, present_ids=data["present"]
        ),
    )
    if saved:
        messages.success(
            request,
            ngettext(
                "Présences du %(date)s enregistrées : %(n)s personne présente",
                "Présences du %(date)s enregistrées : %(n)s personnes présentes",
                count,
            )
            % {"date": services.long_date(session.date), "n": count}
            + ngettext(
                " ; %(total)s inscrite au cycle.", " ; %(total)s inscrites au cycle.", len(participants)
            )
            % {"total": len(participants)},
        )
        return redirect(_cycle_url(cycle, "presences"))
    return _render_form(
        request,
        "trainings/attendance.html",
        {"territory": cycle.territory, "rights": rights, "cycle": cycle, "session": session, "form": form},
        failed_message=_("Les présences ne sont pas enregistrées : corrigez les champs signalés."),
    )


def _registered_message(participants):
    if len(participants) == 1:
        return _("%(name)s est inscrit·e au cycle.") % {"name": participants[0].name}
    return ngettext(
        "%(n)s personne est inscrite au cycle.", "%(n)s personnes sont inscrites au cycle.", len(participants)
    ) % {"n": len(participants)}


@login_required
def participant_add(request, pk):
    cycle, rights = access.get_cycle_for_user(request.user, pk)
    form = ParticipantForm(posted(request), accounts=selectors.accounts_for_registration(cycle.territory))
    saved, participants = submit(
        request,
        form,
        lambda data: services.participants_register(actor=request.user, cycle=cycle, people=form.people()),
    )
    if saved:
        messages.success(request, _registered_message(participants))
        return redirect(_cycle_url(cycle, "participants"))
    if request.method == "POST":
        messages.error(request, _("Personne n'est inscrit : corrigez les champs signalés."))
        return _render_cycle(request, cycle, rights, participant_form=form, status=400)
    return _render_cycle(request, cycle, rights)


@login_required
def participants_import(request, pk):
    cycle, rights = access.get_cycle_for_user(request.user, pk)
    form = ParticipantListForm(posted(request))
    saved, participants = submit(
        request,
        form,
        lambda data: services.participants_register(actor=request.user, cycle=cycle, people=form.people()),
    )
    if saved:
        messages.success(request, _registered_message(participants))
        return redirect(_cycle_url(cycle, "participants"))
    return _render_form(
        request,
        "trainings/participants_import.html",
        {"territory": cycle.territory, "rights": rights, "cycle": cycle, "form": form},
        failed_message=_("Personne n'est inscrit : corrigez la liste, elle est conservée."),
    )


@login_required
@require_POST
def participant_remove(request, pk, participant_pk):
    participant, _rights = access.get_participant_for_user(request.user, pk, participant_pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("%(name)s n'est pas désinscrit·e : cochez la case pour confirmer.")
            % {"name": participant.name},
        )
        return redirect(_cycle_url(participant.cycle, f"participant-{participant.pk}"))
    services.participant_remove(actor=request.user, participant=participant)
    messages.success(
        request, _("%(name)s est désinscrit·e du cycle, avec ses présences.") % {"name": participant.name}
    )
    return redirect(_cycle_url(participant.cycle, "participants"))


# --- The effects journal -----------------------------------------------------------------------------


@login_required
def effects(request, pk):
    territory, rights = get_territory_for_contributing(request.user, pk)
    tables = selectors.effects_tables(territory)
    return render(
        request,
        "trainings/effects.html",
        {
            "territory": territory,
            "rights": rights,
            "tables": tables,
            "positive": sum(table.positive for table in tables),
            "negative": sum(table.negative for table in tables),
        },
    )


def _effect_form_page(request, territory, rights, form, effect=None):
    return _render_form(
        request,
        "trainings/effect_form.html",
        {"territory": territory, "rights": rights, "form": form, "effect": effect},
        failed_message=_("L'effet n'est pas enregistré : corrigez les champs signalés."),
    )


def _effects_url(territory_id, effect=None):
    url = reverse("trainings:effects", args=[territory_id])
    return f"{url}#effet-{effect.pk}" if effect else url


@login_required
def effect_add(request, pk):
    territory, rights = get_territory_for_contributing(request.user, pk)
    initial = {
        "observed_on": timezone.localdate(),
        "observed_by": request.user.get_full_name(),
        "polarity": request.GET.get("sens") if request.GET.get("sens") in Polarity.values else None,
    }
    form = EffectForm(posted(request), initial=initial, initiatives=selectors.initiative_labels(territory))
    saved, effect = submit(
        request, form, lambda data: services.effect_record(actor=request.user, territory=territory, **data)
    )
    if saved:
        messages.success(request, _("L'effet est inscrit au journal."))
        return redirect(_effects_url(territory.pk, effect))
    return _effect_form_page(request, territory, rights, form)


@login_required
def effect_edit(request, pk):
    effect, rights = access.get_effect_for_user(request.user, pk)
    form = EffectForm(
        posted(request),
        initial=EffectForm.initial_for(effect),
        initiatives=selectors.initiative_labels(effect.territory),
    )
    saved, _result = submit(
        request, form, lambda data: services.effect_update(actor=request.user, effect=effect, **data)
    )
    if saved:
        messages.success(request, _("L'effet est enregistré."))
        return redirect(_effects_url(effect.territory_id, effect))
    return _effect_form_page(request, effect.territory, rights, form, effect)


@login_required
def effect_delete(request, pk):
    effect, rights = access.get_effect_for_user(request.user, pk)
    form = ConfirmForm(posted(request))
    saved, _result = submit(
        request, form, lambda data: services.effect_delete(actor=request.user, effect=effect)
    )
    if saved:
        messages.success(request, _("L'effet est retiré du journal."))
        return redirect(_effects_url(effect.territory_id))
    return _confirm_delete(
        request,
        territory=effect.territory,
        rights=rights,
        form=form,
        title=_("Retirer un effet du journal"),
        explanation=str(effect),
        button=_("Retirer l'effet"),
        cancel_url=_effects_url(effect.territory_id, effect),
    )
