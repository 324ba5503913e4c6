from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Theme
from territories.access import territories_visible_to
from territories.models import Territory

from .models import Resource, ResourceKind
from .uploads import FORMATS_MESSAGE, validate_attachment


class SearchForm(forms.Form):
    """The search box and the facets; a value that is not understood is ignored, never an error page."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous les types")), *ResourceKind.choices]
    )
    theme = forms.SlugField(required=False)
    territoire = forms.IntegerField(required=False, min_value=1, max_value=2**62)


class ResourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Lien"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("Obligatoire pour une vidéo ou un lien."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "kind",
            "summary",
            "body",
            "themes",
            "territories",
            "url",
            "starts_on",
            "ends_on",
            "place",
            "credits",
            "members_only",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "territories": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "body": _("Paragraphes séparés par une ligne vide ; les liens commencent par https://."),
            "territories": _(
                "Les territoires dont la ressource vient (Ctrl ou Cmd pour en choisir plusieurs)."
            ),
            "starts_on": _("Pour un événement."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        territories = territories_visible_to(user)
        if self.instance.pk:
            # A territory the editor may not see stays on the resource when a publisher corrects it.
            territories = territories | Territory.objects.filter(resources=self.instance)
        self.fields["territories"].queryset = territories.distinct().order_by("name")
        self.fields["territories"].required = False
        self.fields["kind"].choices = ResourceKind.choices
        if self.instance.pk:
            # A theme withdrawn from the list stays on the resources that have it.
            self.fields["themes"].queryset = Theme.objects.filter(
                pk__in=[*Theme.objects.filter(is_active=True).values_list("pk", flat=True)]
                + [*self.instance.themes.values_list("pk", flat=True)]
            )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ResourceKind.EVENT and not data.get("starts_on"):
            self.add_error("starts_on", _("Un événement a une date de début."))
        if data.get("kind") == ResourceKind.MEDIA and not data.get("url"):
            self.add_error("url", _("Une vidéo ou un lien a une adresse."))
        if data.get("ends_on") and not data.get("starts_on"):
            self.add_error("starts_on", _("Donnez la date de début avant la date de fin."))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"), help_text=FORMATS_MESSAGE, validators=[validate_attachment], max_length=200
    )
    title = forms.CharField(
        label=_("Titre de la pièce jointe"),
        required=False,
        max_length=200,
        help_text=_("Par défaut, le nom du fichier."),
    )


class SendBackForm(forms.Form):
    message = forms.CharField(
        label=_("Ce qu'il faut reprendre"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Les auteur·ices le reçoivent avec la notification."),
    )
