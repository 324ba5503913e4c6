from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Patrimoine commun")

    def ready(self):
        from core.models import ACTION_LABELS
        from notifications import kinds

        from . import (
            privacy,  # noqa: F401 - registers its part of the personal data export and erasure
            receivers,
        )

        receivers.connect()

        ACTION_LABELS.update(
            {
                "resource.create": _("Ressource créée"),
                "resource.update": _("Ressource modifiée"),
                "resource.submit": _("Ressource soumise à la relecture"),
                "resource.publish": _("Ressource publiée"),
                "resource.send_back": _("Ressource renvoyée en brouillon"),
                "resource.attachment_add": _("Pièce jointe ajoutée"),
                "resource.attachment_remove": _("Pièce jointe retirée"),
            }
        )
        from notifications import messages

        messages.register("library.submitted", _("Ressource à relire : %(title)s"))
        messages.register("library.published", _("Votre ressource est publiée : %(title)s"))
        messages.register("library.sent_back", _("Votre ressource est à reprendre : %(title)s"))
        kinds.register("library.submitted", _("Une ressource est soumise à la relecture"))
        kinds.register("library.published", _("Votre ressource est publiée"))
        kinds.register("library.sent_back", _("Votre ressource est renvoyée en brouillon"))
