"""Évaluer / délibérer sur la valeur créée: the sessions of a scope (a project or a territory) compared over
time, opening a session, each participant's own grid, the deliberation, the closing and the radar.

Everyone who sees the scope reads its sessions. While the participants rate, each sees only their own ratings,
so that every rating is given independently of the others'; once the deliberation opens, the individual
ratings are frozen and shown to all readers, since the group deliberates on them."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.decorators import login_required
from core.params import parse_id

from .. import access, selectors
from ..access import Scope, get_scope_for_user
from ..forms.evaluation import AgreementForm, RatingForm, SessionOpenForm
from ..models import EvaluationStatus
from ..radar import radar_svg, scale_labels, score_text, sessions_comparison_svg
from ..services import evaluation as services
from ..services.errors import MethodError

# --- Access ------------------------------------------------------------------------------------------------


# --- Helpers -----------------------------------------------------------------------------------------------


def _scope_urls(scope: Scope) -> dict:
    if scope.project is not None:
        return {
            "list_url": reverse("methods:evaluations_project", args=[scope.project.pk]),
            "open_url": reverse("methods:evaluation_open_project", args=[scope.project.pk]),
            "scope_url": reverse("projects:detail", args=[scope.project.pk]),
            "scope_name": scope.project.title,
        }
    return {
        "list_url": reverse("methods:evaluations_territory", args=[scope.territory.pk]),
        "open_url": reverse("methods:evaluation_open_territory", args=[scope.territory.pk]),
        "scope_url": reverse("territories:dashboard", args=[scope.territory.pk]),
        "scope_name": scope.territory.name,
    }


def _scope_of_session(session, scope: Scope) -> dict:
    return {"session": session, "scope": scope, **_scope_urls(scope)}


def _distribution(scores) -> list[dict]:
    counts = Counter(scores)
    labels = scale_labels()
    return [
        {
            "score": score_text(score),
            "label": labels[score],
            "count": counts.get(score, 0),
            "dots": "●" * counts.get(score, 0),
        }
        for score in sorted(labels)
    ]


def _dimension_blocks(dimensions, ratings, agreements, *, forms=None) -> list[dict]:
    by_dimension = {}
    for rating in ratings:
        by_dimension.setdefault(rating.dimension_id, []).append(rating)
    agreed = {agreement.dimension_id: agreement for agreement in agreements}
    blocks = []
    for dimension in dimensions:
        own = by_dimension.get(dimension.pk, [])
        agreement = agreed.get(dimension.pk)
        blocks.append(
            {
                "dimension": dimension,
                "ratings": [{"rating": r, "score": score_text(r.score)} for r in own],
                "distribution": _distribution(r.score for r in own),
                "agreement": agreement,
                "agreed_score": score_text(agreement.score) if agreement else "",
                "form": (forms or {}).get(dimension.pk),
            }
        )
    return blocks


def _agreement_form(dimension, agreement, data=None) -> AgreementForm:
    initial = {}
    if agreement is not None:
        initial = {
            "score": str(agreement.score),
            "synthesis": agreement.synthesis,
            "disagreements": agreement.disagreements,
        }
    return AgreementForm(data, dimension=dimension, initial=initial)


# --- The sessions of a scope -----------------------------------------------------------------------------


def _comparison_rows(sessions, dimensions) -> list[dict]:
    scores = {
        (session.pk, agreement.dimension_id): score_text(agreement.score)
        for session in sessions
        for agreement in session.agreements.all()
    }
    return [
        {
            "dimension": dimension,
            "cells": [scores.get((session.pk, dimension.pk), "—") for session in sessions],
        }
        for dimension in dimensions
    ]


def _sessions_page(request, scope: Scope):
    sessions = selectors.evaluation_sessions_of(scope)
    compared = sorted((s for s in sessions if s.agreements.all()), key=lambda s: (s.held_on, s.pk))
    dimensions = {}
    for session in compared:
        for agreement in session.agreements.all():
            dimensions.setdefault(agreement.dimension_id, agreement.dimension)
    dimensions = sorted(dimensions.values(), key=lambda d: (d.position, d.pk))
    prefix = f"value-comparison-{'p' if scope.project else 't'}{(scope.project or scope.territory).pk}"
    context = {
        "scope": scope,
        "sessions": sessions,
        "compared": compared,
        "comparison_rows": _comparison_rows(compared, dimensions),
        "comparison_svg": sessions_comparison_svg(compared, id_prefix=prefix),
        "can_open": scope.can_open_evaluation,
        **_scope_urls(scope),
    }
    return render(request, "methods/evaluation/list.html", context)


@login_required
def evaluations_project(request, pk):
    return _sessions_page(request, get_scope_for_user(request.user, project_pk=pk))


@login_required
def evaluations_territory(request, territory_pk):
    return _sessions_page(request, get_scope_for_user(request.user, territory_pk=territory_pk))


def _open(request, scope: Scope):
    if not scope.can_open_evaluation:
        raise PermissionDenied
    people = services.people_of_scope(scope.territory, scope.project)
    if request.method == "POST":
        form = SessionOpenForm(request.POST, people=people)
        if form.is_valid():
            try:
                session = services.session_open(actor=request.user, scope=scope, **form.cleaned_data)
            except MethodError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _(
                        "La séance « %(title)s » est ouverte : chaque participant·e peut donner son "
                        "évaluation."
                    )
                    % {"title": session.title},
                )
                return redirect("methods:evaluation_detail", session_pk=session.pk)
        status = 422
    else:
        form = SessionOpenForm(
            people=people, initial={"held_on": timezone.localdate(), "participants": [request.user.pk]}
        )
        status = 200
    context = {"scope": scope, "form": form, **_scope_urls(scope)}
    return render(request, "methods/evaluation/open.html", context, status=status)


@login_required
def evaluation_open_project(request, pk):
    return _open(request, get_scope_for_user(request.user, project_pk=pk))


@login_required
def evaluation_open_territory(request, territory_pk):
    return _open(request, get_scope_for_user(request.user, territory_pk=territory_pk))


# --- A session ---------------------------------------------------------------------------------------------


@login_required
def evaluation_detail(request, session_pk):
    session, scope = access.get_session_for_user(request.user, session_pk)
    participants = list(session.participants.order_by("full_name", "email"))
    is_participant = any(person.pk == request.user.pk for person in participants)
    dimensions = list(session.dimensions.all())
    ratings = selectors.visible_ratings(session, request.user, is_participant=is_participant)
    agreements = list(session.agreements.select_related("updated_by"))
    rated = selectors.raters_of(session)
    opened = session.ratings_are_shared
    context = {
        **_scope_of_session(session, scope),
        "participants": [{"user": person, "has_rated": person.pk in rated} for person in participants],
        "rated_count": len(rated),
        "has_rated": request.user.pk in rated,
        "ratings_count": len(ratings),
        "blocks": _dimension_blocks(dimensions, ratings, agreements),
        "opened": opened,
        "is_participant": is_participant,
        "can_rate": access.can_rate_now(session, is_participant=is_participant),
        "can_deliberate": is_participant or access.is_scope_facilitator(session, request.user),
        "radar": radar_svg(
            session, id_prefix=f"value-radar-{session.pk}", ratings=ratings, agreements=agreements
        )
        if opened
        else "",
    }
    return render(request, "methods/evaluation/detail.html", context)


@login_required
def evaluation_rate(request, session_pk):
    session, scope = access.get_session_for_rating(request.user, session_pk)
    if session.status != EvaluationStatus.RATING:
        messages.info(
            request, _("La délibération est ouverte : les évaluations individuelles ne se modifient plus.")
        )
        return redirect("methods:evaluation_detail", session_pk=session.pk)
    dimensions = list(session.dimensions.all())
    existing = selectors.own_ratings(session, request.user)
    data = request.POST if request.method == "POST" else None
    forms = [
        RatingForm(
            data,
            dimension=dimension,
            initial=(
                {
                    "score": str(existing[dimension.pk].score),
                    "comment": existing[dimension.pk].comment,
                    "for_whom": existing[dimension.pk].for_whom,
                    "evidence": existing[dimension.pk].evidence,
                }
                if dimension.pk in existing
                else {}
            ),
        )
        for dimension in dimensions
    ]
    error, status = "", 200
    if data is not None:
        status = 422
        if all(form.is_valid() for form in forms):
            rows = [form.row() for form in forms if not form.is_blank]
            if not rows:
                error = _("Choisissez une valeur pour au moins une dimension.")
            else:
                try:
                    services.ratings_save(actor=request.user, session=session, rows=rows)
                except services.RatingsRefused as refused:
                    error = refused.message
                    for form in forms:
                        if form.dimension.pk in refused.errors:
                            form.add_error(None, refused.errors[form.dimension.pk])
                except MethodError as refused:
                    error = refused.message
                else:
                    messages.success(request, _("Votre évaluation est enregistrée."))
                    return redirect("methods:evaluation_detail", session_pk=session.pk)
        else:
            error = _(
                "Certaines lignes de votre grille sont à corriger ; ce que vous avez saisi est conservé."
            )
    context = {**_scope_of_session(session, scope), "forms": forms, "error": error}
    return render(request, "methods/evaluation/rate.html", context, status=status)


def _deliberation_context(session, scope, *, forms=None) -> dict:
    dimensions = list(session.dimensions.all())
    ratings = selectors.deliberation_ratings(session)
    agreements = selectors.agreements_of(session)
    writable = session.status == EvaluationStatus.DELIBERATING
    forms = dict(forms or {})
    if writable:
        agreed = {agreement.dimension_id: agreement for agreement in agreements}
        for dimension in dimensions:
            forms.setdefault(dimension.pk, _agreement_form(dimension, agreed.get(dimension.pk)))
    participants = list(session.participants.order_by("full_name", "email"))
    rated = {rating.participant_id for rating in ratings}
    agreed_ids = {agreement.dimension_id for agreement in agreements}
    return {
        **_scope_of_session(session, scope),
        "blocks": _dimension_blocks(
            dimensions, ratings if session.ratings_are_shared else [], agreements, forms=forms
        ),
        "writable": writable,
        "participant_count": len(participants),
        "rated_count": len(rated),
        "missing": [dimension for dimension in dimensions if dimension.pk not in agreed_ids],
    }


@login_required
def evaluation_deliberate(request, session_pk):
    session, scope = access.get_session_for_deliberating(request.user, session_pk)
    if request.method != "POST":
        return render(request, "methods/evaluation/deliberate.html", _deliberation_context(session, scope))
    if session.status != EvaluationStatus.DELIBERATING:
        messages.error(request, _("La valeur retenue par le groupe s'enregistre pendant la délibération."))
        url = reverse("methods:evaluation_deliberate", args=[session.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    dimension = None
    dimension_pk = parse_id(request.POST.get("dimension"))
    if dimension_pk is not None:
        dimension = session.dimensions.filter(pk=dimension_pk).first()
    if dimension is None:
        raise Http404
    form = AgreementForm(request.POST, dimension=dimension)
    if form.is_valid():
        try:
            services.agreement_save(
                actor=request.user, session=session, dimension=dimension, **form.cleaned_data
            )
        except MethodError as refused:
            form.add_error(None, refused.message)
        else:
            message = _("La valeur retenue pour « %(dimension)s » est enregistrée.") % {
                "dimension": dimension.shown_name
            }
            if not request.htmx:
                messages.success(request, message)
                return redirect(
                    f"{reverse('methods:evaluation_deliberate', args=[session.pk])}#dimension-{dimension.pk}"
                )
            context = _deliberation_context(session, scope)
            block = next(b for b in context["blocks"] if b["dimension"].pk == dimension.pk)
            return render(
                request,
                "methods/evaluation/_dimension.html",
                {**context, "block": block, "status": message, "close_oob": True},
            )
    context = _deliberation_context(session, scope, forms={dimension.pk: form})
    if request.htmx:
        # Swapped in place like a success (htmx leaves 4xx answers unswapped): the errors are in the fragment.
        block = next(b for b in context["blocks"] if b["dimension"].pk == dimension.pk)
        return render(
            request, "methods/evaluation/_dimension.html", {**context, "block": block, "close_oob": True}
        )
    return render(request, "methods/evaluation/deliberate.html", context, status=422)


def _step(request, session_pk, service, success_message, *, target="methods:evaluation_detail"):
    session, _scope = access.get_session_for_deliberating(request.user, session_pk)
    try:
        service(actor=request.user, session=session)
    except MethodError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success_message)
    return redirect(target, session_pk=session.pk)


@login_required
@require_POST
def evaluation_start_deliberation(request, session_pk):
    return _step(
        request,
        session_pk,
        services.session_start_deliberation,
        _("La délibération est ouverte : les évaluations de chacun·e sont maintenant visibles."),
        target="methods:evaluation_deliberate",
    )


@login_required
@require_POST
def evaluation_close(request, session_pk):
    return _step(request, session_pk, services.session_close, _("La séance est clôturée."))


@login_required
@require_POST
def evaluation_reopen(request, session_pk):
    return _step(
        request,
        session_pk,
        services.session_reopen,
        _("La séance est rouverte : la valeur retenue peut être modifiée."),
        target="methods:evaluation_deliberate",
    )


@login_required
def evaluation_radar_svg(request, session_pk):
    session, _scope = access.get_session_for_user(request.user, session_pk)
    # The radar of a session still being rated would put the reader's own ratings among "everyone's".
    shared = session.ratings_are_shared
    ratings = selectors.visible_ratings(session, request.user, is_participant=False) if shared else []
    svg = radar_svg(session, id_prefix="value-radar", ratings=ratings, agreements=session.agreements.all())
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="valeur-creee-{session.pk}.svg"'
    return response
