"""The forms of the question sets' drafts: the set's purpose and note, then one row per question."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StructuredPart


class QuestionSetForm(forms.Form):
    purpose = forms.CharField(label=_("Finalité du livrable"), max_length=200)
    purpose_en = forms.CharField(label=_("Finalité du livrable (en anglais)"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Ce qui change dans cette version"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Montré aux équipes qui passent leur brouillon à cette version."),
    )


class QuestionRowForm(forms.Form):
    # Empty for a question added in this draft; otherwise the key answers follow across versions.
    key = forms.SlugField(required=False, max_length=60, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(
        label=_("Aide"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question (en anglais)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Montrée aux lecteurs qui ont choisi l'anglais ; vide, ils lisent le français."),
    )
    help_text_en = forms.CharField(
        label=_("Aide (en anglais)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_required = forms.BooleanField(label=_("Obligatoire"), required=False)
    structured_part = forms.ChoiceField(
        label=_("Partie structurée"), required=False, choices=StructuredPart.choices
    )
    order = forms.IntegerField(
        label=_("Ordre"), required=False, min_value=1, max_value=99, help_text=_("Vide : à la fin.")
    )
    remove = forms.BooleanField(label=_("Retirer cette question"), required=False)


class BaseQuestionRows(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The kept questions in the chosen order (ties keep the page's order); blank new rows are skipped."""
        kept = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("remove") or (not data.get("key") and not data.get("text", "").strip()):
                continue
            kept.append((data.get("order") or 100, index, data))
        return [
            {
                "key": data.get("key") or "",
                "text": data["text"],
                "help_text": data.get("help_text") or "",
                "text_en": data.get("text_en") or "",
                "help_text_en": data.get("help_text_en") or "",
                "is_required": bool(data.get("is_required")),
                "structured_part": data.get("structured_part") or "",
            }
            for _order, _index, data in sorted(kept, key=lambda row: (row[0], row[1]))
        ]


QuestionRows = forms.formset_factory(
    QuestionRowForm, formset=BaseQuestionRows, extra=1, max_num=40, validate_max=True
)


def question_rows_initial(question_set) -> list[dict]:
    return [
        {
            "key": q.key,
            "text": q.text,
            "help_text": q.help_text,
            "text_en": q.text_en,
            "help_text_en": q.help_text_en,
            "is_required": q.is_required,
            "structured_part": q.structured_part,
            "order": q.number,
        }
        for q in question_set.questions.all()
    ]
