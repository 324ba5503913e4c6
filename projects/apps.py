from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projets")

    def ready(self):
        from core.models import ACTION_LABELS
        from notifications import messages
        from notifications.kinds import register
        from territories.dashboard_sections import register_context
        from territories.services import RECOMMENDATION_PROGRESS

        from . import privacy  # noqa: F401 - registers its part of the personal data export and erasure
        from .models import DeliverableKind
        from .selectors import recommendation_progress, territory_dashboard_context

        register_context(territory_dashboard_context)

        # The journals name a deliverable and a question set in the reader's language (core.audit).
        from core.audit import register_target_name

        from .models import Deliverable, QuestionSet

        register_target_name(
            Deliverable,
            "%(kind)s — %(project)s",
            params=lambda d: {"kind": d.kind, "project": d.project.title},
            kind=DeliverableKind,
        )
        register_target_name(
            QuestionSet,
            "%(kind)s v%(version)s",
            params=lambda q: {"kind": q.kind, "version": str(q.version)},
            kind=DeliverableKind,
        )

        ACTION_LABELS.update(
            {
                "project.create": _("Projet créé"),
                "project.update": _("Projet modifié"),
                "project.assign": _("Accompagnateur·ices du projet modifié·es"),
                "project.abandon": _("Projet abandonné"),
                "project.resume": _("Projet repris"),
                "answer.restore": _("Réponse restaurée"),
                "part.add": _("Ligne ajoutée à un livrable"),
                "part.change": _("Ligne d'un livrable modifiée"),
                "part.delete": _("Ligne d'un livrable supprimée"),
                "roles.change": _("Rôles et responsabilités modifiés"),
                "deliverable.submit": _("Livrable soumis"),
                "deliverable.request_changes": _("Livrable à reprendre"),
                "deliverable.validate": _("Livrable validé"),
                "deliverable.reopen": _("Livrable rouvert"),
                "comment.add": _("Commentaire ajouté"),
                "comment.resolve": _("Discussion résolue"),
                "comment.reopen": _("Discussion rouverte"),
                "private_note.add": _("Note privée ajoutée"),
                "deliverable.migrate_questions": _("Livrable passé à la nouvelle version des questions"),
                "question_set.draft": _("Nouvelle version des questions en brouillon"),
                "question_set.save": _("Brouillon des questions modifié"),
                "question_set.publish": _("Nouvelle version des questions publiée"),
            }
        )
        RECOMMENDATION_PROGRESS.append(recommendation_progress)
        messages.register("projects.assigned", _("Vous accompagnez le projet %(project)s"))
        for key, sentence in (
            ("projects.submitted", _("%(deliverable)s soumise : %(project)s")),
            ("projects.changes_requested", _("%(deliverable)s à reprendre : %(project)s")),
            ("projects.validated", _("%(deliverable)s validée : %(project)s")),
            ("projects.reopened", _("%(deliverable)s rouverte : %(project)s")),
            ("projects.comment", _("Commentaire sur %(the_deliverable)s : %(project)s")),
        ):
            messages.register(key, sentence, deliverable=DeliverableKind)
        messages.register("projects.mention", _("%(author)s vous a mentionné·e : %(project)s"))
        register("projects.submitted", _("Un livrable est soumis à ma relecture"))
        register("projects.reviewed", _("Un livrable de mon projet est relu, validé ou rouvert"))
        register("projects.comment", _("Un commentaire sur un livrable qui me concerne"))
        register("projects.mention", _("Quelqu'un me mentionne dans un commentaire"))
        register("projects.assigned", _("On me confie l'accompagnement d'un projet"))
