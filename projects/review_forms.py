"""The forms of the review: the decision, the reopening, comments and private notes, the choice of two
versions to compare. They only clean input; the services decide whether the deliverable may change."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.form_renderer import PlainRenderer

from .models import Comment, DeliverableKind

MAX_PK = 2_147_483_647
MAX_VERSION = 32_767
INVALID_CHOICE = _("Ce choix n'est pas proposé : choisissez dans la liste.")


class DecisionForm(forms.Form):
    # On the page of every note under review: its field groups and label written in Python.
    default_renderer = PlainRenderer

    VALIDATE = "validate"
    REQUEST_CHANGES = "request_changes"

    decision = forms.ChoiceField(
        label=_("Votre décision"),
        choices=[
            (VALIDATE, _("Valider le livrable (il est figé et le suivant s'ouvre)")),
            (REQUEST_CHANGES, _("Demander des modifications (le livrable revient à l'équipe)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une décision."), "invalid_choice": INVALID_CHOICE},
    )
    message = forms.CharField(
        label=_("Message à l'équipe"),
        required=False,
        max_length=settings.COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Obligatoire pour demander des modifications : dites ce qui est à reprendre."),
    )
    # The version the reviewer read: a decision never applies to a newer one they have not seen.
    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REQUEST_CHANGES and not (data.get("message") or "").strip():
            self.add_error("message", _("Expliquez à l'équipe ce qui est à reprendre."))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi rouvrir ce livrable ?"),
        max_length=settings.COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "L'équipe reçoit ce message ; le livrable repasse en brouillon dans une nouvelle révision."
        ),
        error_messages={"required": _("Dites pourquoi le livrable est rouvert.")},
    )


class CommentForm(forms.Form):
    """A new thread on a question or on the whole deliverable, or a reply to a thread."""

    body = forms.CharField(
        label=_("Commentaire"),
        max_length=settings.COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Le commentaire est vide.")},
    )
    question = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    parent = forms.IntegerField(min_value=1, max_value=MAX_PK, required=False)

    def __init__(self, *args, deliverable, questions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.deliverable = deliverable
        self.questions = {question.pk: question for question in questions}
        self.people = people
        self.fields["question"].choices = [("", "—"), *((pk, str(pk)) for pk in self.questions)]

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        parent = Comment.objects.filter(deliverable=self.deliverable, pk=pk).first()
        if parent is None:
            raise forms.ValidationError(_("Le commentaire auquel vous répondez n'existe plus."))
        return parent

    def clean(self):
        from .review import parse_mentions

        data = super().clean()
        question = data.get("question")
        data["question_obj"] = self.questions.get(question) if question is not None else None
        body = data.get("body") or ""
        mentioned, unknown = parse_mentions(body, self.people)
        if unknown:
            self.add_error(
                "body",
                _(
                    "%(names)s ne désigne personne parmi celles et ceux qui ont accès au projet : "
                    "écrivez @ suivi du nom complet d'une de ces personnes."
                )
                % {"names": ", ".join(f"« {name} »" for name in unknown)},
            )
        data["mentioned"] = mentioned
        return data


class PrivateNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note privée"),
        max_length=settings.COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("La note est vide.")},
    )
    deliverable = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *DeliverableKind.choices],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(
        label=_("Version de départ"), coerce=int, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    b = forms.TypedChoiceField(
        label=_("Version d'arrivée"), coerce=int, error_messages={"invalid_choice": INVALID_CHOICE}
    )

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(number)s") % {"number": n}) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("Choisissez deux versions différentes."))
        return data
