from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.models import Category, MembershipKind, MembershipStatus, Region
from alliance.selectors import RENEWAL_CHOICES
from core.bounds import PLAUSIBLE
from core.models import Theme
from projects.models import Stage

DATE_INPUT = forms.DateInput(attrs={"type": "date", **PLAUSIBLE.widget_attrs()})


class ContentBlockForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(
        label=_("Texte"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Paragraphes séparés par une ligne vide ; listes avec « - » ou « 1. » ; **gras**, *italique*, "
            "[lien](https://…)."
        ),
    )


class MembershipExportForm(forms.Form):
    q = forms.CharField(
        label=_("Nom de l'organisation ou du ou de la signataire"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous les statuts")), *MembershipStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Type d'adhésion"),
        required=False,
        choices=[("", _("Tous les types")), *MembershipKind.choices],
    )
    category = forms.ChoiceField(
        label=_("Catégorie de l'organisation"),
        required=False,
        choices=[("", _("Toutes les catégories")), *Category.choices],
    )
    region = forms.ChoiceField(
        label=_("Région de l'organisation"),
        required=False,
        choices=[("", _("Toutes les régions")), *Region.choices],
    )
    charter_version = forms.IntegerField(
        label=_("Version de la charte signée"), required=False, min_value=1, max_value=9999
    )
    renewal = forms.ChoiceField(
        label=_("Signature"), required=False, choices=[("", _("Toutes")), *RENEWAL_CHOICES]
    )
    since = forms.DateField(
        label=_("Déposées à partir du"), required=False, validators=[PLAUSIBLE.validator], widget=DATE_INPUT
    )
    until = forms.DateField(
        label=_("Déposées jusqu'au"), required=False, validators=[PLAUSIBLE.validator], widget=DATE_INPUT
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("Cette date précède la date de début."))
        return data


class ProjectExportForm(forms.Form):
    q = forms.CharField(label=_("Titre du projet ou nom du territoire"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Étape"), required=False, choices=[("", _("Toutes les étapes")), *Stage.choices]
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), empty_label=_("Tous les thèmes")
    )
    since = forms.DateField(
        label=_("Créés à partir du"), required=False, validators=[PLAUSIBLE.validator], widget=DATE_INPUT
    )
    until = forms.DateField(
        label=_("Créés jusqu'au"), required=False, validators=[PLAUSIBLE.validator], widget=DATE_INPUT
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("Cette date précède la date de début."))
        return data
