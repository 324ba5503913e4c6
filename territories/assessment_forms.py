from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.bounds import CURRENT_ERA

from .models import MATURITY_LEVELS, Fundamental

# Long enough for a few paragraphs; bounded so that a pasted document cannot flood the database.
TEXT_MAX_LENGTH = 5000


def _text_field(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class AssessmentForm(forms.Form):
    """A self-assessment: for each fundamental a 0–4 level, its evidence and a comment.

    The per-fundamental fields are named `level_<n>`, `evidence_<n>` and `comment_<n>`, n being the
    fundamental's value; `fundamentals()` groups them for the template's fieldsets.
    """

    date = forms.DateField(
        label=_("Date de l'auto-évaluation"),
        validators=[CURRENT_ERA.validator],
        widget=forms.DateInput(
            attrs={"type": "date", "min": CURRENT_ERA.first_day.isoformat()}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": _("Indiquez la date de l'auto-évaluation."),
            "invalid": _("Saisissez une date valide, par exemple 15/03/2025."),
        },
    )
    comment = _text_field(
        _("Commentaire d'ensemble"),
        _("Ce que l'équipe retient de cette auto-évaluation, les points à travailler d'ici la prochaine."),
    )
    discussed_with = FacilitatorChoiceField(
        label=_("Discutée avec"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Pas encore discutée avec un·e accompagnateur·ice"),
        help_text=_("L'accompagnateur·ice de La Fabrique avec qui l'équipe en a parlé."),
        error_messages={"invalid_choice": _("Choisissez un·e accompagnateur·ice de ce territoire.")},
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discussed_with"].queryset = territory.facilitators.order_by("full_name", "email")
        for fundamental in Fundamental:
            self.fields[f"level_{fundamental.value}"] = forms.TypedChoiceField(
                label=_("Niveau de maturité"),
                choices=MATURITY_LEVELS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choisissez un niveau de maturité, de 0 à 4."),
                    "invalid_choice": _("Le niveau de maturité va de 0 à 4."),
                },
            )
            self.fields[f"evidence_{fundamental.value}"] = _text_field(
                _("Éléments de preuve"),
                _("Ce qui montre ce niveau : faits, actions, documents, témoignages."),
            )
            self.fields[f"comment_{fundamental.value}"] = _text_field(_("Commentaire"))
        # The fundamentals come first in the form, the date and the overall comment around them.
        self.order_fields(["date", *self._fundamental_field_names(), "comment", "discussed_with"])

    @staticmethod
    def _fundamental_field_names():
        return [
            f"{prefix}_{fundamental.value}"
            for fundamental in Fundamental
            for prefix in ("level", "evidence", "comment")
        ]

    def fundamentals(self):
        """For each fundamental: (fundamental, level, evidence, comment) bound fields."""
        return [
            (
                fundamental,
                self[f"level_{fundamental.value}"],
                self[f"evidence_{fundamental.value}"],
                self[f"comment_{fundamental.value}"],
            )
            for fundamental in Fundamental
        ]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
        return date

    def scores(self) -> dict[int, dict]:
        """The levels, evidence and comments in the shape `services.assessment_record` takes."""
        data = self.cleaned_data
        return {
            fundamental.value: {
                "level": data[f"level_{fundamental.value}"],
                "evidence": data[f"evidence_{fundamental.value}"],
                "comment": data[f"comment_{fundamental.value}"],
            }
            for fundamental in Fundamental
        }
