"""The project workflows: creating a project, writing answers without losing any, and each deliverable's
review (brouillon → soumis → à reprendre | validé, then reopened into a new revision)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError
from core.signals import send_on_commit
from notifications.services import notify
from territories.models import TeamMember
from territories.services import recommendations_follow_projects

from . import signals
from .models import (
    Answer,
    AnswerRevision,
    Comment,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    DeliverableVersion,
    PrivateNote,
    Project,
    Question,
    QuestionSet,
    Responsibility,
    ResponsibilityLevel,
    Stage,
    Stakeholder,
)
from .review import with_discussion


class AnswerConflict(DomainError):
    """Someone saved the answer since this text's base version: nothing is overwritten, both are kept."""

    def __init__(self, answer: Answer, mine: AnswerRevision):
        super().__init__(
            _("Quelqu'un a enregistré cette réponse pendant que vous écriviez. Choisissez le texte à garder.")
        )
        self.answer = answer
        self.mine = mine


class MissingAnswers(DomainError):
    """A submission with required questions unanswered; `questions` lists them for the page."""

    def __init__(self, questions: list):
        numbers = ", ".join(str(q.number) for q in questions)
        super().__init__(
            _("Répondez d'abord aux questions obligatoires : %(numbers)s.") % {"numbers": numbers}
        )
        self.questions = questions


# Projects -----------------------------------------------------------------------------------------------


def _open_deliverable(project: Project, kind: str) -> Deliverable:
    question_set = QuestionSet.objects.get(kind=kind, is_current=True)
    return Deliverable.objects.create(project=project, kind=kind, question_set=question_set)


def _check_team_and_recommendations(territory, *, lead, members, recommendations) -> None:
    """The project team is drawn from the territory's team; its recommendations from its diagnostic."""
    foreign = [r for r in recommendations if r.diagnostic.territory_id != territory.pk]
    if foreign:
        raise DomainError(_("Une recommandation choisie ne vient pas du diagnostic de ce territoire."))
    team = set(TeamMember.objects.filter(territory=territory).values_list("user_id", flat=True))
    if lead is not None and lead.pk not in team:
        raise DomainError(_("Le ou la porteur·se du projet doit faire partie de l'équipe du territoire."))
    if any(user.pk not in team for user in members):
        raise DomainError(_("L'équipe projet se choisit parmi l'équipe du territoire."))


def project_create(
    *, actor, territory, title, summary="", themes=(), lead=None, members=(), recommendations=()
) -> Project:
    """A new project starts with its note d'intention open; its creator is on its team when they belong to
    the territory's team (an admin creating it for the territory is not)."""
    members = list(members)
    _check_team_and_recommendations(territory, lead=lead, members=members, recommendations=recommendations)
    if TeamMember.objects.filter(territory=territory, user=actor).exists():
        members.append(actor)
    elif lead is None:
        raise DomainError(_("Choisissez le ou la porteur·se du projet dans l'équipe du territoire."))
    with transaction.atomic():
        project = Project.objects.create(
            territory=territory, title=title, summary=summary, lead=lead or actor, created_by=actor
        )
        project.themes.set(themes)
        project.members.set(set(members))
        project.recommendations.set(recommendations)
        recommendations_follow_projects(r.pk for r in recommendations)
        project.facilitators.set(territory.facilitators.all())
        _open_deliverable(project, DeliverableKind.INTENTION)
        audit(actor=actor, action="project.create", target=project, territory=territory.pk)
    return project


def project_update(
    *, actor, project: Project, title, summary, themes, lead, members, recommendations
) -> Project:
    """Title, summary, themes, team and recommendations; the audit entry names what changed."""
    members = list(members)
    _check_team_and_recommendations(
        project.territory, lead=lead, members=members, recommendations=recommendations
    )
    with transaction.atomic():
        before = {
            "themes": set(project.themes.values_list("pk", flat=True)),
            "members": set(project.members.values_list("pk", flat=True)),
            "recommendations": set(project.recommendations.values_list("pk", flat=True)),
        }
        after = {
            "themes": {theme.pk for theme in themes},
            "members": {user.pk for user in members},
            "recommendations": {r.pk for r in recommendations},
        }
        changed = []
        if project.title != title:
            changed.append("title")
        if project.summary != summary:
            changed.append("summary")
        if project.lead_id != (lead.pk if lead else None):
            changed.append("lead")
        changed += [name for name in before if before[name] != after[name]]
        project.title, project.summary, project.lead = title, summary, lead
        project.save(update_fields=["title", "summary", "lead", "updated_at"])
        project.themes.set(themes)
        project.members.set(members)
        project.recommendations.set(recommendations)
        recommendations_follow_projects(before["recommendations"] | after["recommendations"])
        if changed:
            audit(actor=actor, action="project.update", target=project, fields=changed)
    return project


def project_assign_facilitators(*, actor, project: Project, facilitators) -> Project:
    """Only platform facilitators review projects; each newcomer is told, the others are not disturbed."""
    facilitators = list(facilitators)
    if any(not user.is_facilitator for user in facilitators):
        raise DomainError(_("Seul·es les accompagnateur·ices de La Fabrique peuvent suivre un projet."))
    with transaction.atomic():
        before = set(project.facilitators.values_list("pk", flat=True))
        after = {user.pk for user in facilitators}
        if before == after:
            return project
        project.facilitators.set(facilitators)
        audit(
            actor=actor,
            action="project.assign",
            target=project,
            added=sorted(after - before),
            removed=sorted(before - after),
        )
        newcomers = [user for user in facilitators if user.pk not in before]
        if newcomers:
            notify(
                kind="projects.assigned",
                recipients=newcomers,
                actor=actor,
                message="projects.assigned",
                params={"project": project.title},
                url=reverse("projects:detail", args=[project.pk]),
            )
    return project


def _lock_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def project_abandon(*, actor, project: Project, reason: str) -> Project:
    if not reason.strip():
        raise DomainError(_("Dites pourquoi le projet est abandonné."))
    with transaction.atomic():
        project = _lock_project(project)
        if project.stage == Stage.ABANDONED:
            raise DomainError(_("Ce projet est déjà abandonné."))
        project.stage = Stage.ABANDONED
        project.abandon_reason = reason.strip()
        project.save(update_fields=["stage", "abandon_reason", "updated_at"])
        _recommendations_follow(project)
        audit(actor=actor, action="project.abandon", target=project, reason=project.abandon_reason)
    return project


def project_resume(*, actor, project: Project) -> Project:
    with transaction.atomic():
        project = _lock_project(project)
        if project.stage != Stage.ABANDONED:
            raise DomainError(_("Ce projet n'est pas abandonné."))
        project.stage = Stage.INTENTION
        project.stage = project.compute_stage()
        project.abandon_reason = ""
        project.save(update_fields=["stage", "abandon_reason", "updated_at"])
        _recommendations_follow(project)
        audit(actor=actor, action="project.resume", target=project)
    return project


def _recommendations_follow(project: Project) -> None:
    """The diagnostic's recommendations the project answers follow its stage (unless set by hand)."""
    recommendations_follow_projects(project.recommendations.values_list("pk", flat=True))


def _refresh_stage(project: Project) -> None:
    stage = project.compute_stage()
    if stage != project.stage:
        project.stage = stage
        project.save(update_fields=["stage", "updated_at"])
        _recommendations_follow(project)


def _team_of(project: Project) -> list:
    people = {user.pk: user for user in project.members.all()}
    if project.lead_id:
        people.setdefault(project.lead_id, project.lead)
    return list(people.values())


def _reviewers_of(project: Project) -> list:
    reviewers = list(project.facilitators.all())
    return reviewers or list(project.territory.facilitators.all())


# Answers ------------------------------------------------------------------------------------------------


def _check_editable(deliverable: Deliverable) -> None:
    if not deliverable.is_editable:
        raise DomainError(
            _("Cette note est %(status)s : elle ne peut plus être modifiée.")
            % {"status": deliverable.get_status_display().lower()}
        )
    if deliverable.project.stage == Stage.ABANDONED:
        raise DomainError(_("Ce projet est abandonné : ses livrables ne sont plus modifiables."))


def _check_answer(deliverable: Deliverable, question, text: str) -> None:
    if question.question_set_id != deliverable.question_set_id:
        raise DomainError(_("Cette question n'appartient pas à ce livrable."))
    if len(text) > settings.ANSWER_MAX_CHARS:
        raise DomainError(
            _("Une réponse ne peut pas dépasser %(max)s caractères (elle en compte %(length)s).")
            % {"max": settings.ANSWER_MAX_CHARS, "length": len(text)}
        )


def _answer_write(*, actor, deliverable: Deliverable, question, text: str, base_version: int):
    """The locked write of an answer, inside the caller's transaction: (answer, conflict or None). On a
    conflict, the text is kept as a conflicting revision and the caller raises once committed."""
    # Locking the deliverable orders this save with a concurrent submission or review.
    deliverable = Deliverable.objects.select_for_update().select_related("project").get(pk=deliverable.pk)
    _check_editable(deliverable)
    answer, _created = Answer.objects.select_for_update().get_or_create(
        deliverable=deliverable, question=question
    )
    if base_version != answer.version:
        mine = AnswerRevision.objects.create(
            answer=answer, version=answer.version, text=text, saved_by=actor, is_conflict=True
        )
        return answer, AnswerConflict(answer, mine)
    if text != answer.text:
        answer.text = text
        answer.version += 1
        answer.updated_by = actor
        answer.save()
        AnswerRevision.objects.create(answer=answer, version=answer.version, text=text, saved_by=actor)
    return answer, None


# The autosave's common case in one statement: the answer changes only if it is still at the version the
# text was typed against, the text is new, and its note is being written in a project that is not abandoned.
# FOR SHARE locks the note and its project as `_answer_write` does with FOR UPDATE: a submission or an
# abandonment (FOR UPDATE) waits for this save, or this save waits for them and then no longer applies.
_ANSWER_UPDATE_SQL = """
UPDATE projects_answer
SET text = %(text)s, version = version + 1, updated_by_id = %(actor)s, updated_at = %(now)s
WHERE deliverable_id = %(deliverable)s AND question_id = %(question)s AND version = %(version)s
  AND text <> %(text)s
  AND EXISTS(
    SELECT 1 FROM projects_deliverable d JOIN projects_project p ON p.id = d.project_id
    WHERE d.id = %(deliverable)s AND d.status = ANY(%(editable)s) AND p.stage <> %(abandoned)s FOR SHARE
  )
RETURNING id
"""


def _answer_update(*, actor, deliverable: Deliverable, question, text: str, base_version: int):
    """The save of `_answer_write` when nothing stands in its way, in two statements instead of five: the
    answer's conditional UPDATE, then its revision. None when the UPDATE does not apply (no answer yet, a
    stale version, the same text, a note no longer written): `_answer_write` then finds out which."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _ANSWER_UPDATE_SQL,
            {
                "text": text,
                "actor": actor.pk,
                "now": now,
                "deliverable": deliverable.pk,
                "question": question.pk,
                "version": base_version,
                "editable": [DeliverableStatus.DRAFT.value, DeliverableStatus.CHANGES_REQUESTED.value],
                "abandoned": Stage.ABANDONED.value,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    answer = Answer(
        id=row[0],
        deliverable=deliverable,
        question=question,
        text=text,
        version=base_version + 1,
        updated_by=actor,
        updated_at=now,
    )
    answer._state.adding = False
    AnswerRevision.objects.create(answer=answer, version=answer.version, text=text, saved_by=actor)
    return answer


def answer_save(*, actor, deliverable: Deliverable, question, text: str, base_version: int) -> Answer:
    """Save an answer typed against `base_version`. If someone saved in between, the text is kept as a
    conflicting revision and AnswerConflict is raised: nothing is overwritten silently."""
    _check_answer(deliverable, question, text)
    with transaction.atomic():
        answer = _answer_update(
            actor=actor, deliverable=deliverable, question=question, text=text, base_version=base_version
        )
        conflict = None
        if answer is None:
            answer, conflict = _answer_write(
                actor=actor, deliverable=deliverable, question=question, text=text, base_version=base_version
            )
    # Raised after the transaction commits, so the losing text stays in the history.
    if conflict is not None:
        raise conflict
    return answer


def answer_restore(*, actor, revision: AnswerRevision, base_version: int) -> Answer:
    """Bring back an earlier saved state (or a text that lost a conflict) as the answer's new version, in
    one transaction: the new version, its link to the restored one and the audit entry."""
    answer = revision.answer
    _check_answer(answer.deliverable, answer.question, revision.text)
    with transaction.atomic():
        restored, conflict = _answer_write(
            actor=actor,
            deliverable=answer.deliverable,
            question=answer.question,
            text=revision.text,
            base_version=base_version,
        )
        if conflict is None:
            latest = restored.revisions.first()
            if latest is not None and latest.version == restored.version and latest.restored_from_id is None:
                latest.restored_from = revision
                latest.save(update_fields=["restored_from"])
            audit(actor=actor, action="answer.restore", target=answer.deliverable, revision=revision.pk)
    if conflict is not None:
        raise conflict
    return restored


# Structured parts ---------------------------------------------------------------------------------------


def _lock_editable(deliverable: Deliverable) -> Deliverable:
    deliverable = Deliverable.objects.select_for_update().select_related("project").get(pk=deliverable.pk)
    _check_editable(deliverable)
    return deliverable


def part_save(*, actor, deliverable: Deliverable, item, related=None):
    """Add or change a row of a structured part (a stakeholder, an objective, a step…) of a note being
    written. `related` sets its many-to-many fields ({"objectives": [...]}), from the same note only."""
    related = related or {}
    for values in related.values():
        if any(value.deliverable_id != deliverable.pk for value in values):
            raise DomainError(_("On ne peut relier une ligne qu'à des éléments du même livrable."))
    with transaction.atomic():
        deliverable = _lock_editable(deliverable)
        created = item.pk is None
        item.deliverable = deliverable
        item.save()
        for name, values in related.items():
            getattr(item, name).set(values)
        audit(
            actor=actor,
            action="part.add" if created else "part.change",
            target=deliverable,
            part=item._meta.model_name,
            item=item.pk,
        )
    return item


def part_delete(*, actor, deliverable: Deliverable, item) -> None:
    if item.deliverable_id != deliverable.pk:
        raise DomainError(_("Cette ligne n'appartient pas à ce livrable."))
    with transaction.atomic():
        deliverable = _lock_editable(deliverable)
        pk = item.pk
        item.delete()
        audit(actor=actor, action="part.delete", target=deliverable, part=item._meta.model_name, item=pk)


def roles_save(*, actor, deliverable: Deliverable, cells: dict) -> None:
    """Set the roles matrix of a note de faisabilité: `cells` maps (stakeholder pk, step pk) to a level of
    ResponsibilityLevel, or "" for no role. Stakeholders come from the project's note de cadrage."""
    steps = set(deliverable.steps.values_list("pk", flat=True))
    stakeholders = set(
        Stakeholder.objects.filter(
            deliverable__project_id=deliverable.project_id, deliverable__kind=DeliverableKind.CADRAGE
        ).values_list("pk", flat=True)
    )
    if any(stakeholder not in stakeholders or step not in steps for stakeholder, step in cells):
        raise DomainError(_("Le tableau des rôles ne correspond plus aux étapes et parties prenantes."))
    if any(level not in ("", *ResponsibilityLevel.values) for level in cells.values()):
        raise DomainError(_("Choisissez un rôle parmi Responsable, Contributeur et Informé."))
    with transaction.atomic():
        deliverable = _lock_editable(deliverable)
        existing = {
            (r.stakeholder_id, r.step_id): r
            for r in Responsibility.objects.filter(step__deliverable=deliverable)
        }
        for (stakeholder, step), level in cells.items():
            current = existing.get((stakeholder, step))
            if not level:
                if current is not None:
                    current.delete()
            elif current is None:
                Responsibility.objects.create(stakeholder_id=stakeholder, step_id=step, level=level)
            elif current.level != level:
                current.level = level
                current.save(update_fields=["level"])
        audit(actor=actor, action="roles.change", target=deliverable)


# Snapshots ----------------------------------------------------------------------------------------------


def _decimal(value):
    return None if value is None else str(value)


def snapshot_content(deliverable: Deliverable) -> dict:
    """The deliverable as it reads now, questions with answers and structured parts, as plain JSON."""
    answers = {a.question_id: a.text for a in deliverable.answers.all()}
    questions = [
        {
            "key": q.key,
            "number": q.number,
            "text": q.text,
            "help_text": q.help_text,
            "structured_part": q.structured_part,
            "answer": answers.get(q.pk, ""),
        }
        for q in deliverable.question_set.questions.all()
    ]
    parts = {
        "stakeholders": [
            {
                "id": s.pk,
                "name": s.name,
                "organisation": s.organisation,
                "involvement": s.involvement,
                "family": s.family,
            }
            for s in deliverable.stakeholders.all()
        ],
        "objectives": [
            {
                "id": o.pk,
                "kind": o.kind,
                "title": o.title,
                "description": o.description,
                "indicator": o.indicator,
                "baseline": _decimal(o.baseline),
                "target": _decimal(o.target),
                "unit": o.unit,
                "due_date": o.due_date.isoformat() if o.due_date else None,
            }
            for o in deliverable.objectives.all()
        ],
        "success_criteria": [
            {"id": c.pk, "text": c.text, "objectives": [o.pk for o in c.objectives.all()]}
            for c in deliverable.success_criteria.prefetch_related("objectives")
        ],
        "means": [
            {
                "id": m.pk,
                "origin": m.origin,
                "kind": m.kind,
                "description": m.description,
                "fte": _decimal(m.fte),
                "amount": _decimal(m.amount),
                "funder": m.funder,
            }
            for m in deliverable.means.all()
        ],
        "steps": [
            {
                "id": s.pk,
                "title": s.title,
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "outputs": s.outputs,
            }
            for s in deliverable.steps.all()
        ],
        "responsibilities": [
            {
                "step": r.step_id,
                "stakeholder": r.stakeholder_id,
                "stakeholder_name": r.stakeholder.name,
                "level": r.level,
            }
            for r in Responsibility.objects.filter(step__deliverable=deliverable).select_related(
                "stakeholder"
            )
        ],
    }
    # The version keeps the questions it was written against, and their set's purpose: its PDF and its
    # comparisons read them from here, whatever versions of the questions come later.
    return {
        "purpose": deliverable.question_set.purpose,
        "question_set_version": deliverable.question_set.version,
        "questions": questions,
        "parts": parts,
    }


# The deliverable's review --------------------------------------------------------------------------------


def _deliverable_path(deliverable: Deliverable) -> str:
    return reverse("projects:deliverable", args=[deliverable.project_id, deliverable.kind])


def deliverable_submit(*, actor, deliverable: Deliverable) -> DeliverableVersion:
    with transaction.atomic():
        deliverable = (
            Deliverable.objects.select_for_update()
            .select_related("project__territory", "question_set")
            .get(pk=deliverable.pk)
        )
        _check_editable(deliverable)
        missing = deliverable.missing_questions()
        if missing:
            raise MissingAnswers(missing)
        now = timezone.now()
        version = DeliverableVersion.objects.create(
            deliverable=deliverable,
            number=deliverable.versions.count() + 1,
            revision=deliverable.revision,
            content=snapshot_content(deliverable),
            submitted_by=actor,
            submitted_at=now,
        )
        deliverable.status = DeliverableStatus.SUBMITTED
        deliverable.submitted_at = now
        deliverable.save(update_fields=["status", "submitted_at", "updated_at"])
        audit(actor=actor, action="deliverable.submit", target=deliverable, version=version.number)
        notify(
            kind="projects.submitted",
            recipients=_reviewers_of(deliverable.project),
            actor=actor,
            message="projects.submitted",
            params={"deliverable": deliverable.kind, "project": deliverable.project.title},
            url=_deliverable_path(deliverable),
        )
    return version


def _decide(*, actor, deliverable: Deliverable, decision: str, message: str) -> Deliverable:
    deliverable = (
        Deliverable.objects.select_for_update().select_related("project__territory").get(pk=deliverable.pk)
    )
    if deliverable.status != DeliverableStatus.SUBMITTED:
        raise DomainError(_("Seul un livrable soumis peut être relu."))
    version = deliverable.versions.order_by("-number").first()
    version.decision = decision
    version.decision_message = message.strip()
    version.decided_by = actor
    version.decided_at = timezone.now()
    version.save(update_fields=["decision", "decision_message", "decided_by", "decided_at"])
    return deliverable


def deliverable_request_changes(*, actor, deliverable: Deliverable, message: str) -> Deliverable:
    if not message.strip():
        raise DomainError(_("Expliquez à l'équipe ce qui est à reprendre."))
    with transaction.atomic():
        deliverable = _decide(
            actor=actor,
            deliverable=deliverable,
            decision=DeliverableVersion.Decision.CHANGES_REQUESTED,
            message=message,
        )
        deliverable.status = DeliverableStatus.CHANGES_REQUESTED
        deliverable.save(update_fields=["status", "updated_at"])
        audit(actor=actor, action="deliverable.request_changes", target=deliverable)
        notify(
            kind="projects.reviewed",
            recipients=_team_of(deliverable.project),
            actor=actor,
            message="projects.changes_requested",
            params={"deliverable": deliverable.kind, "project": deliverable.project.title},
            url=_deliverable_path(deliverable),
            excerpt=message,
        )
    return deliverable


def deliverable_validate(*, actor, deliverable: Deliverable, message: str = "") -> Deliverable:
    """Validation freezes the deliverable and opens the next one."""
    with transaction.atomic():
        deliverable = _decide(
            actor=actor,
            deliverable=deliverable,
            decision=DeliverableVersion.Decision.VALIDATED,
            message=message,
        )
        deliverable.status = DeliverableStatus.VALIDATED
        deliverable.validated_at = timezone.now()
        deliverable.save(update_fields=["status", "validated_at", "updated_at"])
        project = deliverable.project
        following = deliverable.kind_enum.next
        if following and not project.deliverables.filter(kind=following).exists():
            _open_deliverable(project, following)
        _refresh_stage(project)
        audit(actor=actor, action="deliverable.validate", target=deliverable)
        notify(
            kind="projects.reviewed",
            recipients=_team_of(project),
            actor=actor,
            message="projects.validated",
            params={"deliverable": deliverable.kind, "project": project.title},
            url=_deliverable_path(deliverable),
            excerpt=message,
        )
        version = deliverable.versions.order_by("-number").first()
        # Whatever follows a validation (documents renders the version's PDF) runs once committed, not
        # while the deliverable's row is locked.
        send_on_commit(
            signals.deliverable_validated,
            sender=Deliverable,
            deliverable=deliverable,
            version=version,
            actor=actor,
        )
    return deliverable


def deliverable_reopen(*, actor, deliverable: Deliverable, reason: str) -> Deliverable:
    """A validated deliverable goes back to draft as a new revision; what it opened stays open."""
    if not reason.strip():
        raise DomainError(_("Dites pourquoi le livrable est rouvert."))
    with transaction.atomic():
        deliverable = (
            Deliverable.objects.select_for_update()
            .select_related("project__territory")
            .get(pk=deliverable.pk)
        )
        if deliverable.status != DeliverableStatus.VALIDATED:
            raise DomainError(_("Seul un livrable validé peut être rouvert."))
        deliverable.status = DeliverableStatus.DRAFT
        deliverable.revision += 1
        deliverable.validated_at = None
        deliverable.reopened_at = timezone.now()
        deliverable.reopened_by = actor
        deliverable.reopen_reason = reason.strip()
        deliverable.save(
            update_fields=[
                "status",
                "revision",
                "validated_at",
                "reopened_at",
                "reopened_by",
                "reopen_reason",
                "updated_at",
            ]
        )
        _refresh_stage(deliverable.project)
        audit(actor=actor, action="deliverable.reopen", target=deliverable, reason=reason.strip())
        notify(
            kind="projects.reviewed",
            recipients=_team_of(deliverable.project),
            actor=actor,
            message="projects.reopened",
            params={"deliverable": deliverable.kind, "project": deliverable.project.title},
            url=_deliverable_path(deliverable),
            excerpt=reason,
        )
    return deliverable


# Comments and notes --------------------------------------------------------------------------------------


def comment_add(
    *,
    actor,
    deliverable: Deliverable,
    body: str,
    question=None,
    parent=None,
    mentioned=(),
    allowed_mentions=(),
) -> Comment:
    """A comment on the deliverable or one of its questions, or a reply to a comment (one level deep).

    `allowed_mentions` are the people who can read the project: mentioning anyone else is refused, so a
    mention never discloses a private project."""
    if not body.strip():
        raise DomainError(_("Le commentaire est vide."))
    if len(body) > settings.COMMENT_MAX_CHARS:
        raise DomainError(
            _("Un commentaire ne peut pas dépasser %(max)s caractères.") % {"max": settings.COMMENT_MAX_CHARS}
        )
    if question is not None and question.question_set_id != deliverable.question_set_id:
        raise DomainError(_("Cette question n'appartient pas à ce livrable."))
    if parent is not None:
        if parent.deliverable_id != deliverable.pk:
            raise DomainError(_("On ne répond qu'à un commentaire de ce livrable."))
        if parent.parent_id is not None:
            parent = parent.parent
        question = parent.question
    allowed = {user.pk for user in allowed_mentions}
    if any(user.pk not in allowed for user in mentioned):
        raise DomainError(_("On ne peut mentionner que des personnes qui ont accès au projet."))
    with transaction.atomic():
        comment = Comment.objects.create(
            deliverable=deliverable,
            question=question,
            parent=parent,
            version=deliverable.versions.order_by("-number").first(),
            author=actor,
            body=body.strip(),
        )
        comment.mentions.set(mentioned)
        audit(actor=actor, action="comment.add", target=deliverable, comment=comment.pk)
        # The page shows its thread even beyond its block's first open threads (projects.review.Paging).
        url = with_discussion(_deliverable_path(deliverable), comment)
        project = deliverable.project
        if mentioned:
            notify(
                kind="projects.mention",
                recipients=mentioned,
                actor=actor,
                message="projects.mention",
                params={"author": actor.full_name or actor.email, "project": project.title},
                url=url,
                excerpt=comment.body,
            )
        concerned = {user.pk: user for user in [*_team_of(project), *_reviewers_of(project)]}
        if parent is not None:
            thread = [parent, *parent.replies.select_related("author")]
            concerned.update({c.author_id: c.author for c in thread if c.author_id})
        for user in mentioned:
            concerned.pop(user.pk, None)
        notify(
            kind="projects.comment",
            recipients=concerned.values(),
            actor=actor,
            message="projects.comment",
            params={"deliverable": deliverable.kind, "project": project.title},
            url=url,
            excerpt=comment.body,
        )
    return comment


def comment_resolve(*, actor, comment: Comment) -> Comment:
    if comment.parent_id is not None:
        raise DomainError(_("C'est la discussion entière qui se résout, depuis son premier commentaire."))
    if comment.resolved_at is not None:
        raise DomainError(_("Cette discussion est déjà résolue."))
    with transaction.atomic():
        comment.resolved_at = timezone.now()
        comment.resolved_by = actor
        comment.save(update_fields=["resolved_at", "resolved_by"])
        audit(actor=actor, action="comment.resolve", target=comment.deliverable, comment=comment.pk)
    return comment


def comment_reopen(*, actor, comment: Comment) -> Comment:
    if comment.resolved_at is None:
        raise DomainError(_("Cette discussion n'est pas résolue."))
    with transaction.atomic():
        comment.resolved_at = None
        comment.resolved_by = None
        comment.save(update_fields=["resolved_at", "resolved_by"])
        audit(actor=actor, action="comment.reopen", target=comment.deliverable, comment=comment.pk)
    return comment


def private_note_add(*, actor, project: Project, body: str, deliverable=None) -> PrivateNote:
    if not body.strip():
        raise DomainError(_("La note est vide."))
    if len(body) > settings.COMMENT_MAX_CHARS:
        raise DomainError(
            _("Une note ne peut pas dépasser %(max)s caractères.") % {"max": settings.COMMENT_MAX_CHARS}
        )
    if deliverable is not None and deliverable.project_id != project.pk:
        raise DomainError(_("Ce livrable n'appartient pas à ce projet."))
    with transaction.atomic():
        note = PrivateNote.objects.create(
            project=project, deliverable=deliverable, author=actor, body=body.strip()
        )
        audit(actor=actor, action="private_note.add", target=project, note=note.pk)
    return note


# Question sets --------------------------------------------------------------------------------------------


def question_set_draft(*, actor, kind: str) -> QuestionSet:
    """Open the next version of a deliverable kind's questions as a draft, a copy of the current version
    (same keys, so answers follow). Only one draft per kind at a time: an open one is returned."""
    if kind not in DeliverableKind.values:
        raise DomainError(_("Type de livrable inconnu."))
    with transaction.atomic():
        sets = QuestionSet.objects.select_for_update().filter(kind=kind)
        existing = sets.filter(published_at__isnull=True).first()
        if existing is not None:
            return existing
        current = sets.filter(is_current=True).first()
        last = sets.order_by("-version").values_list("version", flat=True).first() or 0
        draft = QuestionSet.objects.create(
            kind=kind,
            version=last + 1,
            purpose=current.purpose if current else "",
            purpose_en=current.purpose_en if current else "",
            created_by=actor,
        )
        if current is not None:
            Question.objects.bulk_create(
                Question(
                    question_set=draft,
                    key=q.key,
                    number=q.number,
                    text=q.text,
                    help_text=q.help_text,
                    text_en=q.text_en,
                    help_text_en=q.help_text_en,
                    is_required=q.is_required,
                    structured_part=q.structured_part,
                )
                for q in current.questions.all()
            )
        audit(actor=actor, action="question_set.draft", target=draft, kind=kind, version=draft.version)
    return draft


def _new_key(kind: str, taken: set) -> str:
    """A key no version of this kind has used, so a new question never inherits an old one's answers."""
    used = taken | set(Question.objects.filter(question_set__kind=kind).values_list("key", flat=True))
    n = len(used) + 1
    while f"q{n}" in used:
        n += 1
    return f"q{n}"


def question_set_save(
    *, actor, question_set: QuestionSet, purpose: str, note: str, questions: list[dict], purpose_en: str = ""
):
    """Replace the draft's questions by `questions`, in order: each {"key" (empty for a new question),
    "text", "help_text", "is_required", "structured_part"}. A key left out removes that question from the
    draft; the answers given to it elsewhere are never touched."""
    if not purpose.strip():
        raise DomainError(_("Donnez la finalité du livrable."))
    if not questions:
        raise DomainError(_("Une version compte au moins une question."))
    if any(not q["text"].strip() for q in questions):
        raise DomainError(_("Chaque question a un texte."))
    keys = [q["key"] for q in questions if q["key"]]
    if len(keys) != len(set(keys)):
        raise DomainError(_("Une question figure deux fois."))
    parts = [q["structured_part"] for q in questions if q["structured_part"]]
    if len(parts) != len(set(parts)):
        raise DomainError(_("Une partie structurée ne se rattache qu'à une question."))
    with transaction.atomic():
        locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        if not locked.is_draft:
            raise DomainError(
                _("Cette version est publiée : elle ne change plus. Ouvrez une nouvelle version.")
            )
        locked.purpose, locked.purpose_en, locked.note = purpose.strip(), purpose_en.strip(), note.strip()
        locked.save(update_fields=["purpose", "purpose_en", "note"])
        locked.questions.all().delete()
        taken: set = set(keys)
        rows = []
        for number, q in enumerate(questions, start=1):
            key = q["key"] or _new_key(locked.kind, taken)
            taken.add(key)
            rows.append(
                Question(
                    question_set=locked,
                    key=key,
                    number=number,
                    text=q["text"].strip(),
                    help_text=q["help_text"].strip(),
                    text_en=q.get("text_en", "").strip(),
                    help_text_en=q.get("help_text_en", "").strip(),
                    is_required=q["is_required"],
                    structured_part=q["structured_part"],
                )
            )
        Question.objects.bulk_create(rows)
        audit(actor=actor, action="question_set.save", target=locked, questions=[r.key for r in rows])
    return locked


def question_set_publish(*, actor, question_set: QuestionSet) -> QuestionSet:
    """The draft becomes the version in force: new deliverables are written against it; deliverables already
    open keep theirs until their team moves a draft to it."""
    with transaction.atomic():
        locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        if not locked.is_draft:
            raise DomainError(_("Cette version est déjà publiée."))
        if not locked.questions.exists():
            raise DomainError(_("Une version compte au moins une question."))
        QuestionSet.objects.filter(kind=locked.kind, is_current=True).update(is_current=False)
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.is_current = True
        locked.save(update_fields=["published_at", "published_by", "is_current"])
        audit(actor=actor, action="question_set.publish", target=locked, version=locked.version)
    return locked


@dataclass(frozen=True)
class MigrationPlan:
    """What moving a draft to another version of the questions does, question by question."""

    moves: list  # (old question, new question, answer): the answer is carried over
    new: list  # new questions without an answer yet
    left_behind: list  # (old question, answer): kept with the old question, shown in the history


def migration_plan(deliverable: Deliverable, target: QuestionSet) -> MigrationPlan:
    old = {q.key: q for q in deliverable.question_set.questions.all()}
    answers = {a.question_id: a for a in deliverable.answers.all()}
    moves, new = [], []
    for question in target.questions.all():
        before = old.pop(question.key, None)
        answer = answers.get(before.pk) if before else None
        if before is not None and answer is not None and answer.text.strip():
            moves.append((before, question, answer))
        else:
            new.append(question)
    left_behind = [(q, answers[q.pk]) for q in old.values() if q.pk in answers and answers[q.pk].text.strip()]
    return MigrationPlan(moves=moves, new=new, left_behind=left_behind)


def deliverable_migrate_questions(*, actor, deliverable: Deliverable, target: QuestionSet) -> MigrationPlan:
    """Move a note being written to the version of the questions in force: each answer follows its question
    (same key), its earlier states staying with the old answer; the answers of questions the new version
    removed stay with their old question, kept and listed in the deliverable's history. Submitted versions
    never change."""
    with transaction.atomic():
        deliverable = _lock_editable(deliverable)
        target = QuestionSet.objects.get(pk=target.pk)
        if not target.is_current or target.kind != deliverable.kind:
            raise DomainError(_("On ne passe qu'à la version des questions en vigueur pour ce livrable."))
        if deliverable.question_set_id == target.pk:
            raise DomainError(_("Ce livrable suit déjà cette version des questions."))
        plan = migration_plan(deliverable, target)
        previous = deliverable.question_set
        for _before, question, answer in plan.moves:
            moved = Answer.objects.create(
                deliverable=deliverable, question=question, text=answer.text, version=1, updated_by=actor
            )
            AnswerRevision.objects.create(answer=moved, version=1, text=answer.text, saved_by=actor)
        deliverable.question_set = target
        deliverable.save(update_fields=["question_set", "updated_at"])
        audit(
            actor=actor,
            action="deliverable.migrate_questions",
            target=deliverable,
            from_version=previous.version,
            to_version=target.version,
            moved=[q.key for _b, q, _a in plan.moves],
            new=[q.key for q in plan.new],
            left_behind=[{"key": q.key, "number": q.number, "text": q.text} for q, _a in plan.left_behind],
        )
    return plan
