"""The forms of the deliverables: an answer (its text and the version it was typed against) and the rows of
the structured parts. They only clean input; the services decide whether the deliverable may change."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.bounds import CURRENT_ERA

from .models import (
    Means,
    MeansKind,
    MeansOrigin,
    Objective,
    ObjectiveKind,
    ResponsibilityLevel,
    Stakeholder,
    Step,
    SuccessCriterion,
)

# Steps and deadlines are of the platform's time: the models check the range, the date picker shows it.
DATE_INPUT = forms.DateInput(attrs={"type": "date", **CURRENT_ERA.widget_attrs()}, format="%Y-%m-%d")


class AnswerForm(forms.Form):
    # Not stripped: what is saved is exactly what the person typed, spaces and blank lines included.
    text = forms.CharField(label=_("Réponse"), required=False, strip=False, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, max_value=2_147_483_647, widget=forms.HiddenInput)


class RestoreForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=2_147_483_647, widget=forms.HiddenInput)


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = ["name", "organisation", "involvement", "family"]
        labels = {"family": _("Famille (les 4 Fantastiques)")}
        widgets = {"involvement": forms.RadioSelect}


class ObjectiveForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Type"), choices=ObjectiveKind.choices, widget=forms.RadioSelect)

    class Meta:
        model = Objective
        fields = ["kind", "title", "description", "indicator", "baseline", "target", "unit", "due_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": DATE_INPUT,
        }
        help_texts = {
            "indicator": _("Obligatoire pour un objectif quantitatif, comme la cible et l'échéance."),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ObjectiveKind.QUANTITATIVE:
            needed = {
                "indicator": _("Un objectif quantitatif a un indicateur."),
                "target": _("Un objectif quantitatif a une valeur cible."),
                "due_date": _("Un objectif quantitatif a une échéance."),
            }
            for field, message in needed.items():
                if cleaned.get(field) in (None, "") and field not in self.errors:
                    self.add_error(field, message)
        return cleaned


class SuccessCriterionForm(forms.ModelForm):
    class Meta:
        model = SuccessCriterion
        fields = ["text", "objectives"]
        widgets = {"objectives": forms.CheckboxSelectMultiple}
        help_texts = {"objectives": _("Les objectifs de cette note que le critère permet d'apprécier.")}

    def __init__(self, *args, deliverable, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the objectives of the same note de cadrage can be chosen.
        self.fields["objectives"].queryset = deliverable.objectives.all()


class MeansForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Nature"), choices=MeansKind.choices, widget=forms.RadioSelect)

    class Meta:
        model = Means
        fields = ["kind", "description", "fte", "amount", "funder"]
        help_texts = {
            "fte": _("Pour un moyen humain : équivalents temps plein (par exemple 0,5)."),
            "amount": _("Pour un moyen financier : le montant en euros."),
        }

    def __init__(self, *args, origin, **kwargs):
        super().__init__(*args, **kwargs)
        self.origin = origin
        for name in ("fte", "amount"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0
        if origin == MeansOrigin.EXTERNAL:
            self.fields["funder"].required = True
            self.fields["funder"].help_text = _("Le financeur, le partenaire ou le prestataire sollicité.")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == MeansKind.HUMAN and cleaned.get("fte") is None and "fte" not in self.errors:
            self.add_error("fte", _("Indiquez le nombre d'ETP de ce moyen humain."))
        if kind == MeansKind.FINANCIAL and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant en euros de ce moyen financier."))
        return cleaned


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = ["title", "start", "end", "outputs"]
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT, "outputs": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de l'étape ne peut pas précéder son début."))
        return cleaned


ROLE_CHOICES = [("", _("Aucun")), *ResponsibilityLevel.choices]


class RolesForm(forms.Form):
    """The roles matrix: one select per stakeholder × step, named cell_<stakeholder>_<step>."""

    def __init__(self, *args, stakeholders, steps, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.stakeholders = stakeholders
        self.steps = steps
        for stakeholder in stakeholders:
            for step in steps:
                name = self.cell_name(stakeholder, step)
                self.fields[name] = forms.ChoiceField(
                    label=_("%(stakeholder)s pour l'étape « %(step)s »")
                    % {"stakeholder": stakeholder.name, "step": step.title},
                    choices=ROLE_CHOICES,
                    required=False,
                    initial=current.get((stakeholder.pk, step.pk), ""),
                )

    @staticmethod
    def cell_name(stakeholder, step) -> str:
        return f"cell_{stakeholder.pk}_{step.pk}"

    def rows(self):
        """The matrix as rows of (stakeholder, [bound field per step])."""
        return [
            (stakeholder, [self[self.cell_name(stakeholder, step)] for step in self.steps])
            for stakeholder in self.stakeholders
        ]

    def cells(self) -> dict:
        """{(stakeholder_pk, step_pk): level or ""} from the cleaned data."""
        return {
            (stakeholder.pk, step.pk): self.cleaned_data.get(self.cell_name(stakeholder, step)) or ""
            for stakeholder in self.stakeholders
            for step in self.steps
        }
