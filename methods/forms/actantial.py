"""The actantial schema's forms: they only read the input; the rules (an actor of the same project or a
label, no entry twice, a unique quest…) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Actant, ActantEntry, ActantialSchema, Actor


class QuestForm(forms.Form):
    quest = forms.CharField(
        label=_("Quête"),
        max_length=ActantialSchema._meta.get_field("quest").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, require_quest=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quest"].required = require_quest
        if require_quest:
            self.fields["quest"].error_messages["required"] = _("Donnez la quête de ce schéma.")


class EntryForm(forms.Form):
    """An entry of one actant: pick an actor of the project, or write a label."""

    actant = forms.ChoiceField(
        label=_("Actant"),
        choices=Actant.choices,
        error_messages={"invalid_choice": _("Choisissez l'un des six actants.")},
    )
    actor = forms.ModelChoiceField(
        label=_("Un acteur du projet"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("— aucun : j'écris un intitulé —"),
        error_messages={
            "invalid_choice": _(
                "Choisissez un acteur de ce projet dans la liste, ou écrivez un intitulé libre."
            )
        },
    )
    label = forms.CharField(
        label=_("Ou un intitulé libre"),
        max_length=ActantEntry._meta.get_field("label").max_length,
        required=False,
        help_text=_("Une chose, une idée, une force, un groupe qui n'est pas parmi les acteurs…"),
    )
    note = forms.CharField(
        label=_("Précision (facultative)"),
        max_length=ActantEntry._meta.get_field("note").max_length,
        required=False,
    )

    def __init__(self, *args, project, actors=None, fixed_actant=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Actor.objects.filter(project=project)
        self.fields["actor"].queryset = queryset
        if actors is not None and not actors:
            del self.fields["actor"]
        elif actors is not None:
            # The project's actors already read by the page: the six forms share them.
            self.fields["actor"].choices = [("", self.fields["actor"].empty_label)] + [
                (actor.pk, actor.name) for actor in actors
            ]
        self.fixed_actant = fixed_actant
        if fixed_actant is not None:
            self.fields["actant"].widget = forms.HiddenInput()
            self.fields["actant"].initial = fixed_actant
