from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActorFamily, User

# The purpose of each personal field, for the browser's autofill (RGAA 11.13, WCAG 1.3.5).
NAME_INPUT = forms.TextInput(attrs={"autocomplete": "name"})
FUNCTION_INPUT = forms.TextInput(attrs={"autocomplete": "organization-title"})
PHONE_INPUT = forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})


class SignupProfileForm(forms.Form):
    """The profile questions asked at sign-up, beside allauth's e-mail and password."""

    full_name = forms.CharField(label=_("Nom complet"), max_length=150, widget=NAME_INPUT)
    function = forms.CharField(
        label=_("Fonction"),
        max_length=150,
        required=False,
        help_text=_("Par exemple : chargée de mission PCAET"),
        widget=FUNCTION_INPUT,
    )
    family = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=ActorFamily.choices,
        initial=ActorFamily.AUTRE,
        help_text=_("Votre famille d'acteur parmi les « 4 Fantastiques » du territoire."),
    )

    def signup(self, request, user):
        """Allauth's hook; the adapter already copied the fields."""


class ProfileForm(forms.ModelForm):
    # Required as at sign-up: a blank name would show the e-mail address in its place (directory, pages).
    full_name = forms.CharField(label=_("Nom complet"), max_length=150, widget=NAME_INPUT)

    class Meta:
        model = User
        fields = ["full_name", "function", "phone", "family", "language"]
        help_texts = {
            "phone": _("Facultatif."),
            "language": _("Sans choix, le français, langue de la plateforme."),
        }
        widgets = {"function": FUNCTION_INPUT, "phone": PHONE_INPUT}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789 +.-()")
        if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(
                _("Saisissez un numéro de téléphone valide, par exemple 05 63 00 00 00.")
            )
        return phone
