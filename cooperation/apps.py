from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Coopération")

    def ready(self):
        from core.models import ACTION_LABELS
        from notifications import kinds

        from . import privacy  # noqa: F401 - registers its part of the personal data export and erasure

        ACTION_LABELS.update(
            {
                "peer_group.create": _("Groupe de pairs créé"),
                "peer_group.update": _("Groupe de pairs modifié"),
                "peer_group.join_request": _("Demande pour rejoindre le groupe"),
                "peer_group.join_decide": _("Réponse à une demande pour rejoindre le groupe"),
                "peer_group.invite": _("Invitation dans le groupe"),
                "peer_group.invitation_answer": _("Réponse à une invitation dans le groupe"),
                "thread.create": _("Discussion ouverte"),
                "thread.reply": _("Réponse dans une discussion"),
                "meeting.create": _("Réunion programmée"),
                "meeting.update": _("Réunion mise à jour"),
                "meeting.cancel": _("Réunion annulée"),
                "meeting.restore": _("Réunion rétablie"),
                "contribution.create": _("Travail du groupe rédigé"),
                "contribution.update": _("Travail du groupe modifié"),
                "contribution.agree": _("Travail validé par le groupe"),
                "crossing.create": _("Croisement ouvert"),
                "crossing.share": _("Travail partagé dans le croisement"),
                "proposal.create": _("Proposition commune rédigée"),
                "proposal.agree": _("Accord d'un groupe sur une proposition commune"),
                "proposal.address": _("Proposition adressée aux élu·es"),
                "proposal.answer": _("Réponse des élu·es à une proposition"),
            }
        )
        from notifications import messages

        from .models import Decision

        for key, sentence in (
            ("cooperation.join_request", _("%(name)s demande à rejoindre « %(group)s »")),
            ("cooperation.joined", _("Vous avez rejoint le groupe « %(group)s »")),
            ("cooperation.invited", _("%(name)s vous invite dans le groupe « %(group)s »")),
            ("cooperation.left", _("%(name)s a quitté le groupe « %(group)s »")),
            ("cooperation.mention", _("%(name)s vous mentionne dans « %(thread)s »")),
            ("cooperation.thread", _("Nouvelle discussion dans « %(group)s » : %(thread)s")),
            ("cooperation.reply", _("%(name)s a répondu dans « %(thread)s »")),
            ("cooperation.crossing", _("Croisement ouvert entre « %(a)s » et « %(b)s »")),
            ("cooperation.addressed", _("Proposition adressée aux élu·es : %(title)s")),
        ):
            messages.register(key, sentence)
        messages.register(
            "cooperation.answered",
            _("Les élu·es ont répondu à « %(title)s » : %(decision)s"),
            decision=Decision,
        )
        kinds.register("cooperation.post", _("Nouvelle discussion ou réponse dans un groupe que je suis"))
        kinds.register("cooperation.mention", _("On me mentionne dans un groupe de pairs"))
        kinds.register("cooperation.join", _("Demandes et invitations dans les groupes de pairs"))
        kinds.register("cooperation.crossing", _("Croisement ouvert avec mon groupe"))
        kinds.register("cooperation.addressed", _("Proposition adressée aux élu·es dont je fais partie"))
        kinds.register("cooperation.answered", _("Réponse des élu·es à une proposition de mon groupe"))
