"""The forms of the evaluation of the value created: they only clean input; the rules live in the services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.bounds import CURRENT_ERA

from ..models import SCORE_MAX, SCORE_MIN, EvaluationSession, Rating
from ..radar import scale_labels, score_text


def score_choices():
    labels = scale_labels()
    return [(str(score), f"{score_text(score)} {labels[score]}") for score in range(SCORE_MIN, SCORE_MAX + 1)]


class ScoreField(forms.TypedChoiceField):
    """A value of −2 to +2, picked in a radio group; anything else gets the rule's own message."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(choices=score_choices, coerce=int, empty_value=None, **kwargs)
        self.error_messages["invalid_choice"] = _("La valeur doit être comprise entre −2 et +2.")
        self.error_messages["required"] = _("Choisissez une valeur de −2 à +2.")


def _text(label, *, max_length=None, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length or settings.COMMENT_MAX_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
    )


class SessionOpenForm(forms.Form):
    title = forms.CharField(
        label=_("Titre de la séance"),
        max_length=EvaluationSession._meta.get_field("title").max_length,
        help_text=_("Par exemple « Bilan de la première année »."),
    )
    held_on = forms.DateField(
        label=_("Date de la séance"),
        validators=[CURRENT_ERA.validator],
        widget=forms.DateInput(attrs={"type": "date", **CURRENT_ERA.widget_attrs()}, format="%Y-%m-%d"),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participant·es"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chacun·e donnera sa propre évaluation, puis le groupe délibérera. Sont proposées les personnes "
            "de l'équipe et de l'accompagnement."
        ),
        error_messages={
            "required": _("Choisissez au moins un·e participant·e."),
            "invalid_choice": _("Cette personne ne peut pas participer à cette séance."),
            "invalid_pk_value": _("Cette personne ne peut pas participer à cette séance."),
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["participants"].label_from_instance = lambda user: user.get_full_name()


class RatingForm(forms.Form):
    """One row of a participant's grid: one dimension. Left blank, the row is not saved."""

    score = ScoreField(label=_("Valeur créée"), required=False)
    comment = _text(_("Commentaire"))
    for_whom = _text(
        _("Pour qui ?"),
        max_length=Rating._meta.get_field("for_whom").max_length,
        rows=0,
        help_text=_("Les personnes, organisations ou collectifs pour qui cette valeur a été créée."),
    )
    evidence = _text(_("Éléments de preuve"), rows=2)

    def __init__(self, *args, dimension, **kwargs):
        super().__init__(*args, prefix=f"d{dimension.pk}", **kwargs)
        self.dimension = dimension

    def clean(self):
        cleaned = super().clean()
        has_text = any(cleaned.get(name) for name in ("comment", "for_whom", "evidence"))
        if cleaned.get("score") is None and has_text and "score" not in self.errors:
            self.add_error("score", _("Choisissez une valeur de −2 à +2 pour enregistrer cette ligne."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        return self.cleaned_data.get("score") is None

    def row(self) -> dict:
        return {"dimension": self.dimension, **self.cleaned_data}


class AgreementForm(forms.Form):
    score = ScoreField(label=_("Valeur retenue par le groupe"))
    synthesis = _text(_("Synthèse"), rows=4)
    disagreements = _text(
        _("Désaccords"),
        rows=3,
        help_text=_("Ce qui reste en débat : les désaccords sont consignés, pas moyennés."),
    )

    def __init__(self, *args, dimension, **kwargs):
        super().__init__(*args, prefix=f"agreement-{dimension.pk}", **kwargs)
        self.dimension = dimension
