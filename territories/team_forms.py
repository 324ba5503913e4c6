from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import ActorFamily

from .models import ROLE_FAMILIES, TeamRole


def _role_label(role) -> str:
    role_label, family_label = str(role.label), str(ActorFamily(ROLE_FAMILIES[role]).label)
    # Each role is offered with its family of the 4 Fantastiques, unless they bear the same name (élu·e).
    return role_label if role_label == family_label else f"{role_label} — {family_label}"


ROLE_CHOICES = [(role.value, lazy(_role_label, str)(role)) for role in TeamRole]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne"),
        max_length=254,
        help_text=format_lazy(
            _(
                "Elle reçoit un lien valable {days} jours ; elle y répond avec un compte à cette adresse, "
                "ou en crée un."
            ),
            days=settings.INVITATION_VALID_DAYS,
        ),
    )
    role = forms.ChoiceField(label=_("Rôle dans l'équipe"), choices=ROLE_CHOICES, initial=TeamRole.AGENT)
    is_manager = forms.BooleanField(
        label=_("Gère aussi le territoire (invite, change les rôles, modifie le profil)"), required=False
    )


class MemberChangeForm(forms.Form):
    # The family is already in the member's row: the short labels fit the narrow column.
    role = forms.ChoiceField(label=_("Rôle"), choices=TeamRole.choices)
    is_manager = forms.BooleanField(label=_("Gère le territoire"), required=False)


class MemberRemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme le retrait de cette personne de l'équipe."),
        error_messages={"required": _("Cochez la case pour confirmer le retrait.")},
    )


class InvitationAnswerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("Accepter")), ("decline", _("Décliner"))],
        error_messages={
            "required": _("Choisissez d'accepter ou de décliner l'invitation."),
            "invalid_choice": _("Choisissez d'accepter ou de décliner l'invitation."),
        },
    )
