from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as siren_number

from accounts.models import User
from core.uploads import LOGO_ERROR_MESSAGES

from .models import ACTIVE_STATUSES, Category, LapsedListing, MembershipKind, Organisation, Region


class _StoredLogo:
    """The current logo as the file input shows it: a link to the view that serves it with access checks."""

    def __init__(self, url):
        self.url = url

    def __str__(self):
        return str(_("logo actuel"))


class LogoInput(forms.ClearableFileInput):
    logo_url = None

    def format_value(self, value):
        if self.is_initial(value) and self.logo_url:
            return _StoredLogo(self.logo_url)
        return super().format_value(value)


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https", max_length=200)
    # Wider than the 9 digits stored: people type "732 829 320", which clean_siren compacts.
    siren = forms.CharField(
        label=_("SIREN"),
        required=False,
        max_length=20,
        help_text=_("Facultatif : les 9 chiffres du numéro SIREN."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "category",
            "siren",
            "region",
            "website",
            "description",
            "logo",
            "listed_in_directory",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "logo": LogoInput}
        help_texts = {
            "description": _("Quelques phrases sur votre organisation et son engagement dans la transition."),
            "logo": _("PNG, JPEG ou WebP, 1 Mo au plus."),
        }
        error_messages = {"logo": LOGO_ERROR_MESSAGES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["logo"].widget.logo_url = reverse(
                "alliance:organisation_logo", args=[self.instance.pk]
            )

    def clean_siren(self):
        raw = self.cleaned_data["siren"]
        if not raw.strip():
            return ""
        try:
            return siren_number.validate(raw)
        except StdnumError as exc:
            raise forms.ValidationError(
                _(
                    "Ce numéro SIREN n'est pas valide : il compte 9 chiffres "
                    "et sa clé de contrôle doit être juste."
                )
            ) from exc


class NewOrganisationForm(OrganisationForm):
    """The organisation's profile created with an application; its directory consent is the application's."""

    class Meta(OrganisationForm.Meta):
        fields = [f for f in OrganisationForm.Meta.fields if f != "listed_in_directory"]


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Vous adhérez"),
        choices=MembershipKind.choices,
        widget=forms.RadioSelect,
        initial=MembershipKind.ORGANISATION,
    )
    existing_organisation = forms.ModelChoiceField(
        label=_("Organisation déjà inscrite sur la plateforme"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Laissez vide pour créer la fiche de votre organisation ci-dessous."),
    )
    mandate = forms.CharField(
        label=_("Votre mandat"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : « Directrice générale des services, mandatée par le président »."),
    )
    listed_in_directory = forms.BooleanField(
        label=_("Apparaître dans l'annuaire public des allié·es"), required=False, initial=True
    )
    charter_version = forms.IntegerField(widget=forms.HiddenInput)
    sign = forms.BooleanField(
        label=_("J'ai lu la charte de l'alliance et je la signe."),
        error_messages={"required": _("Pour adhérer, cochez la case qui signe la charte.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_organisation"].queryset = Organisation.objects.exclude(
            alliance_memberships__status__in=ACTIVE_STATUSES
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("kind") == MembershipKind.ORGANISATION and not (data.get("mandate") or "").strip():
            self.add_error("mandate", _("Déclarez le mandat qui vous permet d'engager l'organisation."))
        return data


class DecisionForm(forms.Form):
    DECISIONS = [
        ("accept", _("Accepter")),
        ("refuse", _("Refuser")),
        ("suspend", _("Suspendre")),
        ("reinstate", _("Réactiver")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS)
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un refus ou une suspension ; il est envoyé au ou à la candidat·e."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("refuse", "suspend") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif : il est communiqué au ou à la candidat·e."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme le retrait de cette adhésion."),
        error_messages={"required": _("Cochez la case pour confirmer le retrait.")},
    )


class ResignForm(forms.Form):
    charter_version = forms.IntegerField(widget=forms.HiddenInput)
    sign = forms.BooleanField(
        label=_("J'ai lu la nouvelle version de la charte et je la signe."),
        error_messages={"required": _("Cochez la case pour signer la nouvelle version de la charte.")},
    )


class CharterForm(forms.Form):
    preamble = forms.CharField(
        label=_("Préambule"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    commitments = forms.CharField(
        label=_("Engagements"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Un engagement par ligne."),
    )

    deadline_days = forms.IntegerField(
        label=_("Délai pour signer de nouveau (en jours)"),
        required=False,
        initial=90,
        min_value=7,
        max_value=730,
        help_text=_(
            "Les membres sont prévenus à la publication, puis rappelés 30, 7 et 1 jour avant l'échéance. "
            "Laissez vide pour ne fixer aucune échéance."
        ),
        error_messages={
            "min_value": _("Laissez au moins 7 jours aux membres pour signer de nouveau."),
            "max_value": _("Le délai ne peut pas dépasser 730 jours."),
            "invalid": _("Saisissez un nombre de jours, par exemple 90."),
        },
    )
    lapsed_listing = forms.ChoiceField(
        label=_("Après l'échéance, les membres qui n'ont pas signé de nouveau"),
        choices=LapsedListing.choices,
        initial=LapsedListing.MARK,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Leur adhésion devient « à renouveler » ; elle n'est jamais supprimée."),
    )

    def clean_lapsed_listing(self):
        return self.cleaned_data["lapsed_listing"] or LapsedListing.MARK

    def clean_commitments(self):
        lines = [line.strip() for line in self.cleaned_data["commitments"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Saisissez au moins un engagement."))
        return lines


class AddPersonForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    is_referent = forms.BooleanField(label=_("Référent·e de l'organisation"), required=False)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.person = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.person is None:
            raise forms.ValidationError(
                _("Aucun compte n'utilise cette adresse : la personne doit d'abord créer son compte.")
            )
        return email


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un nom"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Catégorie"), required=False, choices=[("", _("Toutes les catégories")), *Category.choices]
    )
    region = forms.ChoiceField(
        label=_("Région"), required=False, choices=[("", _("Toutes les régions")), *Region.choices]
    )
    show = forms.ChoiceField(
        label=_("Afficher"),
        required=False,
        choices=[("organisations", _("Organisations")), ("persons", _("Personnes"))],
    )
