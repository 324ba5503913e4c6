from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.bounds import CURRENT_ERA
from core.i18n import labelled
from core.uploads import attachment_max_bytes
from reference.models import Epci

from .attachments import validate_attachment
from .models import (
    Contribution,
    ContributionKind,
    Decision,
    GroupKind,
    GroupRole,
    Meeting,
    PeerGroup,
    Scope,
)

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_FILES files, each checked on its own (size, format, content)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Joignez %(n)s fichiers au plus.") % {"n": MAX_FILES})
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
                validate_attachment(upload)
            except ValidationError as error:
                # Several files are checked at once: each message names its file.
                errors.extend(
                    _("« %(name)s » : %(message)s") % {"name": upload.name, "message": message}
                    for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return cleaned


def _attachments_field():
    return AttachmentsField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_(
            "Facultatif, %(n)s fichiers au plus, %(size)s Mo chacun : PDF, odt, ods, odp, docx, xlsx, pptx, "
            "png, jpg, txt, csv."
        )
        % {"n": MAX_FILES, "size": attachment_max_bytes() // (1024 * 1024)},
    )


BODY_HELP = _(
    "Pour mentionner un membre du groupe, écrivez @ suivi de son nom complet (par exemple @Antoine Agent)."
)


class GroupCreateForm(forms.ModelForm):
    epcis = forms.ModelMultipleChoiceField(
        label=_("EPCI du groupe"),
        queryset=Epci.objects.none(),
        required=False,
        help_text=_(
            "Pour un groupe inter-EPCI : au moins deux EPCI (Ctrl ou Cmd pour en choisir plusieurs)."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = PeerGroup
        fields = ["name", "article", "kind", "scope", "territory", "epcis", "description", "is_listed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "scope": forms.RadioSelect}

    def __init__(self, *args, user, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = GroupKind.objects.filter(is_active=True)
        self.fields["kind"].help_text = _(
            "Pairs hiérarchiques (agents, DGS, élu·es) ou fonctionnels (communication, Climat-PCAET…)."
        )
        self.fields["territory"].queryset = territories
        self.fields["territory"].help_text = _(
            "Le territoire du groupe ; pour un croisement, celui dont les élu·es sont interpellé·es."
        )
        if user.is_alliance_admin or user.is_facilitator:
            self.fields["epcis"].queryset = Epci.objects.order_by("name")
        else:
            # A territory's manager creates groups of their territory only.
            self.fields["scope"].choices = [(Scope.TERRITORY, Scope.TERRITORY.label)]
            del self.fields["epcis"]


class GroupEditForm(forms.ModelForm):
    class Meta:
        model = PeerGroup
        fields = ["name", "article", "description", "is_listed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message aux animateur·ices (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne"),
        max_length=254,
        help_text=_(
            "La personne doit avoir un compte sur la plateforme ; "
            "elle accepte l'invitation depuis la page du groupe."
        ),
    )
    role = forms.ChoiceField(
        label=_("Rôle dans le groupe"), choices=GroupRole.choices, initial=GroupRole.MEMBER
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("Accepter")), ("decline", _("Décliner"))],
        error_messages={
            "required": _("Choisissez d'accepter ou de décliner."),
            "invalid_choice": _("Choisissez d'accepter ou de décliner."),
        },
    )

    @property
    def accepted(self):
        return self.cleaned_data["action"] == "accept"


class FollowForm(forms.Form):
    follows = forms.BooleanField(required=False)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Sujet"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}), help_text=BODY_HELP
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = _attachments_field()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=BODY_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = _attachments_field()


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        validators=[CURRENT_ERA.validator],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", **CURRENT_ERA.widget_attrs(with_time=True)},
            format="%Y-%m-%dT%H:%M",
        ),
    )
    link = forms.URLField(
        label=_("Lien de visioconférence"), required=False, assume_scheme="https", max_length=200
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Présent·es"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Après la réunion : les membres qui y ont participé."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "place", "link", "agenda", "minutes", "attendees"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4}), "minutes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(peer_groups__group=group).order_by(
            "full_name"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("link") and not self.errors:
            raise ValidationError(_("Indiquez un lieu ou un lien de visioconférence."))
        return cleaned


class ContributionForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Nature du texte"),
        choices=ContributionKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Un point de vue que le groupe qualifie, un besoin qu'il révèle, une proposition qu'il fait."
        ),
    )

    class Meta:
        model = Contribution
        fields = ["kind", "title", "body"]
        widgets = {"kind": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 8})}
        labels = {"kind": _("Nature du texte")}
        help_texts = {
            "kind": _(
                "Un point de vue que le groupe qualifie, un besoin qu'il révèle, une proposition qu'il fait."
            )
        }


class CrossingForm(forms.Form):
    title = forms.CharField(label=_("Intitulé du croisement"), max_length=200)
    other = forms.ModelChoiceField(label=_("Avec le groupe"), queryset=PeerGroup.objects.none())
    addressee_body = forms.CharField(
        label=_("Instance interpellée (facultatif)"),
        max_length=200,
        required=False,
        help_text=_(
            "Par exemple « Comité syndical » ; "
            "les propositions partagées vont aux élu·es de l'équipe du territoire."
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = choices


class ShareForm(forms.Form):
    contribution = forms.ModelChoiceField(
        label=_("Texte validé à partager"), queryset=Contribution.objects.none()
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contribution"].queryset = choices
        self.fields["contribution"].label_from_instance = lambda c: (
            labelled(f"{c.group} — {c.get_kind_display()}", c.title)
        )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la proposition"), max_length=200)
    body = forms.CharField(
        label=_("Proposition"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    source = forms.ModelChoiceField(
        label=_("Issue du texte (facultatif)"), queryset=Contribution.objects.none(), required=False
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda c: f"{c.group} — {c.title}"


class AgreeForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Au nom du groupe"), queryset=PeerGroup.objects.none())

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        if groups.count() == 1:
            self.fields["group"].widget = forms.HiddenInput()
            self.fields["group"].initial = groups.first().pk


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"), choices=Decision.choices, widget=forms.RadioSelect)
    response = forms.CharField(
        label=_("Réponse écrite aux deux groupes"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # The answer is final (the élu·es answer once, for the territory): an explicit confirmation before it goes
    # (RGAA 11.12, WCAG 3.3.4).
    confirm = forms.BooleanField(
        label=_(
            "Je confirme cette réponse : elle sera envoyée aux deux groupes et ne pourra plus être modifiée."
        ),
    )
