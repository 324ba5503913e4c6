from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import ActorFamily

from .models import ROLE_FAMILIES, TeamRole


def _grouped_roles():
    """The roles under the family of the 4 Fantastiques each belongs to, in the method's order: the select
    shows each family as a group (élu·e, agent de collectivité, État territorial, acteur socio-économique)."""
    return [
        (family.label, [(role.value, role.label) for role in TeamRole if ROLE_FAMILIES[role] == family])
        for family in ActorFamily
        if any(ROLE_FAMILIES[role] == family for role in TeamRole)
    ]


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
    role = forms.ChoiceField(label=_("Rôle dans l'équipe"), choices=_grouped_roles, initial=TeamRole.AGENT)
    is_manager = forms.BooleanField(
        label=_("Gère aussi le territoire (invite, change les rôles, modifie le profil)"), required=False
    )


class MemberChangeForm(forms.Form):
    # The family is already in the member's row: the short labels fit the narrow column.
    role = forms.ChoiceField(label=_("Rôle"), choices=_grouped_roles)
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
