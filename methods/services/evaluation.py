"""Évaluer / délibérer sur la valeur créée: a session opens with its participants and the grid of value
dimensions; each participant rates the value created on each dimension on their own ("rating"); then the group
deliberates ("deliberating"): an agreed rating, a synthesis and the disagreements per dimension; the session
closes once every dimension has its agreed rating, and may be reopened to amend them.

Individual ratings are frozen when the deliberation opens: the spread shown to the group is what each person
thought before hearing the others, which the deliberation then works on (disagreements are recorded, not
averaged away)."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from notifications.services import notify

from .. import access
from ..models import (
    SCORE_MAX,
    SCORE_MIN,
    Agreement,
    EvaluationSession,
    EvaluationStatus,
    Rating,
    ValueDimension,
)
from .errors import MethodError

AUDIT_LABELS = {
    "methods.evaluation.open": gettext_lazy("Séance d'évaluation ouverte"),
    "methods.evaluation.rate": gettext_lazy("Évaluation individuelle enregistrée"),
    "methods.evaluation.deliberate": gettext_lazy("Délibération ouverte"),
    "methods.evaluation.agree": gettext_lazy("Valeur retenue par le groupe enregistrée"),
    "methods.evaluation.close": gettext_lazy("Séance d'évaluation clôturée"),
    "methods.evaluation.reopen": gettext_lazy("Séance d'évaluation rouverte"),
}
NOTIFICATION_KINDS = {
    "methods.evaluation_opened": gettext_lazy("Une séance d'évaluation de la valeur créée vous attend"),
}

TITLE_MAX_CHARS = EvaluationSession._meta.get_field("title").max_length
FOR_WHOM_MAX_CHARS = Rating._meta.get_field("for_whom").max_length


def score_message() -> str:
    return _("La valeur doit être comprise entre −2 et +2.")


def people_of_scope(territory, project=None):
    """Who may take part in an evaluation of this scope: the territory's team and facilitators; for a project,
    also its lead, its members and its assigned facilitators."""
    User = get_user_model()
    linked = Q(territory_roles__territory=territory) | Q(facilitated_territories=territory)
    if project is not None:
        linked |= Q(led_projects=project) | Q(projects=project) | Q(facilitated_projects=project)
    return User.objects.filter(pk__in=User.objects.filter(linked).values("pk"), is_active=True).order_by(
        "full_name", "email"
    )


def _check_score(score) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise MethodError(score_message())
    return score


def _check_in_grid(session: EvaluationSession, dimension: ValueDimension) -> None:
    if dimension is None or not session.dimensions.filter(pk=dimension.pk).exists():
        raise MethodError(_("Cette dimension ne fait pas partie de la grille de la séance."))


def _check_deliberator(session: EvaluationSession, actor) -> None:
    if not access.can_deliberate(session, actor):
        raise MethodError(
            _("Seul·es les participant·es et l'accompagnement de la séance peuvent mener sa délibération.")
        )


def _save_checked(instance) -> None:
    """The check constraints are the backstop of the rules checked above: a refusal, never a server error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise MethodError(score_message()) from error


# --- Opening -------------------------------------------------------------------------------------------


def session_open(*, actor, scope, title: str, held_on, participants) -> EvaluationSession:
    """Open a session on a scope (methods.access.Scope); its grid: the value dimensions active today."""
    title = (title or "").strip()
    if not title:
        raise MethodError(_("Donnez un titre à la séance."))
    if len(title) > TITLE_MAX_CHARS:
        raise MethodError(_("Le titre ne doit pas dépasser %(max)s caractères.") % {"max": TITLE_MAX_CHARS})
    if held_on is None:
        raise MethodError(_("Indiquez la date de la séance."))
    participants = list({user.pk: user for user in participants}.values())
    if not participants:
        raise MethodError(_("Choisissez au moins un·e participant·e."))
    allowed = set(
        people_of_scope(scope.territory, scope.project)
        .filter(pk__in=[user.pk for user in participants])
        .values_list("pk", flat=True)
    )
    strangers = [user for user in participants if user.pk not in allowed]
    if strangers:
        raise MethodError(
            _(
                "Seules les personnes de l'équipe ou de l'accompagnement peuvent participer ; "
                "ne le sont pas : %(names)s."
            )
            % {"names": ", ".join(sorted(user.get_full_name() for user in strangers))}
        )
    dimensions = list(ValueDimension.objects.filter(is_active=True))
    if not dimensions:
        raise MethodError(_("Aucune dimension de valeur n'est proposée : voyez avec l'administration."))
    with transaction.atomic():
        session = EvaluationSession.objects.create(
            territory=scope.territory,
            project=scope.project,
            title=title,
            held_on=held_on,
            status=EvaluationStatus.RATING,
            created_by=actor,
        )
        session.participants.set(participants)
        session.dimensions.set(dimensions)
        audit(
            actor=actor,
            action="methods.evaluation.open",
            target=session,
            participants=sorted(user.pk for user in participants),
            dimensions=[dimension.pk for dimension in dimensions],
        )
        notify(
            kind="methods.evaluation_opened",
            recipients=participants,
            actor=actor,
            message="methods.evaluation_opened",
            params={"title": title},
            url=reverse("methods:evaluation_rate", args=[session.pk]),
            excerpt_message="methods.evaluation_opened_excerpt",
        )
    return session


# --- Individual ratings ------------------------------------------------------------------------------


def _check_rater(session: EvaluationSession, actor) -> None:
    if not access.is_participant(session, actor):
        raise MethodError(_("Seul·es les participant·es de la séance donnent leur évaluation."))
    if session.status != EvaluationStatus.RATING:
        raise MethodError(
            _("La délibération est ouverte : les évaluations individuelles ne se modifient plus.")
        )


def _store_rating(session, actor, dimension, *, score, comment, for_whom, evidence) -> Rating:
    _check_in_grid(session, dimension)
    _check_score(score)
    for_whom = (for_whom or "").strip()
    if len(for_whom) > FOR_WHOM_MAX_CHARS:
        raise MethodError(
            _("« Pour qui » ne doit pas dépasser %(max)s caractères.") % {"max": FOR_WHOM_MAX_CHARS}
        )
    rating = Rating.objects.filter(session=session, participant=actor, dimension=dimension).first()
    rating = rating or Rating(session=session, participant=actor, dimension=dimension)
    rating.score = score
    rating.comment = (comment or "").strip()
    rating.for_whom = for_whom
    rating.evidence = (evidence or "").strip()
    _save_checked(rating)
    return rating


def rating_save(*, actor, session, dimension, score, comment="", for_whom="", evidence="") -> Rating:
    """The actor's own rating of one dimension: only a participant, for themself, while rating is open."""
    with transaction.atomic():
        _check_rater(session, actor)
        rating = _store_rating(
            session, actor, dimension, score=score, comment=comment, for_whom=for_whom, evidence=evidence
        )
        audit(actor=actor, action="methods.evaluation.rate", target=session, dimensions=[dimension.pk])
    return rating


class RatingsRefused(MethodError):
    """Some rows of a grid were refused: `errors` maps each refused dimension's pk to its message."""

    def __init__(self, errors: dict):
        super().__init__(_("Certaines lignes de votre grille sont à corriger ; rien n'a été enregistré."))
        self.errors = errors


def ratings_save(*, actor, session, rows) -> list[Rating]:
    """The actor's whole grid at once: `rows` are dicts (dimension, score, comment, for_whom, evidence).
    All rows are saved, or none: the refused ones are named in RatingsRefused.errors."""
    _check_rater(session, actor)
    saved, errors = [], {}
    with transaction.atomic():
        for row in rows:
            fields = {key: row.get(key, "") for key in ("comment", "for_whom", "evidence")}
            try:
                saved.append(_store_rating(session, actor, row["dimension"], score=row["score"], **fields))
            except MethodError as refused:
                errors[row["dimension"].pk] = refused.message
        if errors:
            transaction.set_rollback(True)
            raise RatingsRefused(errors)
        if saved:
            audit(
                actor=actor,
                action="methods.evaluation.rate",
                target=session,
                dimensions=[rating.dimension_id for rating in saved],
            )
    return saved


# --- Deliberation ----------------------------------------------------------------------------------------


def session_start_deliberation(*, actor, session) -> EvaluationSession:
    _check_deliberator(session, actor)
    if session.status != EvaluationStatus.RATING:
        raise MethodError(_("La délibération de cette séance est déjà ouverte."))
    if not session.ratings.exists():
        raise MethodError(
            _("Aucune évaluation individuelle n'est encore enregistrée : la délibération partirait de rien.")
        )
    with transaction.atomic():
        session.status = EvaluationStatus.DELIBERATING
        session.save(update_fields=["status"])
        audit(actor=actor, action="methods.evaluation.deliberate", target=session)
    return session


def agreement_save(*, actor, session, dimension, score, synthesis="", disagreements="") -> Agreement:
    """The group's agreed rating of one dimension, its synthesis and the disagreements that remain."""
    _check_deliberator(session, actor)
    if session.status != EvaluationStatus.DELIBERATING:
        raise MethodError(_("La valeur retenue par le groupe s'enregistre pendant la délibération."))
    _check_in_grid(session, dimension)
    _check_score(score)
    with transaction.atomic():
        agreement = Agreement.objects.filter(session=session, dimension=dimension).first()
        agreement = agreement or Agreement(session=session, dimension=dimension)
        agreement.score = score
        agreement.synthesis = (synthesis or "").strip()
        agreement.disagreements = (disagreements or "").strip()
        agreement.updated_by = actor
        _save_checked(agreement)
        audit(
            actor=actor,
            action="methods.evaluation.agree",
            target=session,
            dimension=dimension.pk,
            score=score,
        )
    return agreement


def missing_agreements(session) -> list[ValueDimension]:
    agreed = Agreement.objects.filter(session=session).values("dimension_id")
    return list(session.dimensions.exclude(pk__in=agreed))


def session_close(*, actor, session) -> EvaluationSession:
    _check_deliberator(session, actor)
    if session.status != EvaluationStatus.DELIBERATING:
        raise MethodError(_("Seule une séance en délibération peut être clôturée."))
    missing = missing_agreements(session)
    if missing:
        raise MethodError(
            _("Il manque la valeur retenue par le groupe pour : %(dimensions)s.")
            % {"dimensions": ", ".join(dimension.shown_name for dimension in missing)}
        )
    with transaction.atomic():
        session.status = EvaluationStatus.CLOSED
        session.closed_at = timezone.now()
        session.save(update_fields=["status", "closed_at"])
        audit(actor=actor, action="methods.evaluation.close", target=session)
    return session


def session_reopen(*, actor, session) -> EvaluationSession:
    """Back to the deliberation, to amend an agreed rating; the individual ratings stay frozen."""
    _check_deliberator(session, actor)
    if session.status != EvaluationStatus.CLOSED:
        raise MethodError(_("Cette séance n'est pas clôturée."))
    with transaction.atomic():
        session.status = EvaluationStatus.DELIBERATING
        session.closed_at = None
        session.save(update_fields=["status", "closed_at"])
        audit(actor=actor, action="methods.evaluation.reopen", target=session)
    return session


# --- Personal data ----------------------------------------------------------------------------------------


def privacy_export(user):
    return {
        "evaluation_sessions": [
            {
                "title": title,
                "territory": territory,
                "project": project,
                "date": held_on,
                "status": status,
            }
            for title, territory, project, held_on, status in EvaluationSession.objects.filter(
                participants=user
            )
            .order_by("held_on", "pk")
            .values_list("title", "territory__name", "project__title", "held_on", "status")
        ],
        "value_ratings": [
            {
                "session": session,
                "dimension": dimension,
                "score": score,
                "comment": comment,
                "for_whom": for_whom,
                "evidence": evidence,
                "updated_at": updated_at,
            }
            for session, dimension, score, comment, for_whom, evidence, updated_at in Rating.objects.filter(
                participant=user
            )
            .order_by("session__held_on", "session_id", "dimension__position", "pk")
            .values_list(
                "session__title",
                "dimension__name",
                "score",
                "comment",
                "for_whom",
                "evidence",
                "updated_at",
            )
        ],
    }


def privacy_erase(user):
    """The scores stay: the group deliberated on that spread, and the anonymised account no longer names its
    author. The free text goes (comment, for whom, evidence): it is the person's own opinion in their own
    words, which could name them again by its content; the group's syntheses keep what the deliberation
    retained. The person stays among the participants, shown as "Compte supprimé"."""
    Rating.objects.filter(participant=user).update(comment="", for_whom="", evidence="")
