"""The forms of the cooperation journal: a récit, and the filters of the timeline. They only clean input; the
services check the rules (a date not in the future, participants of the scope)."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.bounds import PLAUSIBLE

from ..access import Scope
from ..models import JournalEntry, JournalPrompt, JournalVisibility
from ..services.journal import PROMPT_SHORT_NAMES, scope_people

INVALID_CHOICE = _("Ce choix n'est pas proposé : choisissez dans la liste.")


class _PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name()


class JournalEntryForm(forms.Form):
    prompt = forms.ChoiceField(
        label=_("La question à laquelle ce récit répond"),
        choices=JournalPrompt.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez la question à laquelle ce récit répond."),
            "invalid_choice": INVALID_CHOICE,
        },
    )
    happened_on = forms.DateField(
        label=_("Date"),
        validators=[PLAUSIBLE.validator],
        help_text=_("Le jour de ce qui est raconté : une réunion, un atelier, un moment marquant."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date de ce qui est raconté."),
            "invalid": _("Saisissez une date valide, par exemple 14/03/2024."),
        },
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        error_messages={"required": _("Donnez un titre au récit.")},
    )
    body = forms.CharField(
        label=_("Le récit"),
        max_length=settings.ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Ce qui s'est passé, ce qui a été dit, ce que cela a changé. Mise en forme possible : "
            "**gras**, *italique*, listes commençant par « - » ou « 1. », [liens](https://…)."
        ),
        error_messages={"required": _("Écrivez le récit.")},
    )
    participants = _PeopleChoice(
        label=_("Qui y a pris part"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("L'équipe, l'équipe projet et l'accompagnement."),
        error_messages={
            "invalid_choice": _(
                "Les participant·es se choisissent dans l'équipe et l'accompagnement ; nommez les autres "
                "dans le champ suivant."
            ),
            "invalid_pk_value": INVALID_CHOICE,
        },
    )
    other_participants = forms.CharField(
        label=_("Autres participant·es"),
        max_length=500,
        required=False,
        help_text=_("Les personnes sans compte sur la plateforme, séparées par des virgules."),
    )
    visibility = forms.ChoiceField(
        label=_("Qui peut lire ce récit"),
        choices=JournalVisibility.choices,
        initial=JournalVisibility.TEAM,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez qui peut lire ce récit."),
            "invalid_choice": INVALID_CHOICE,
        },
    )

    def __init__(self, data=None, *, scope: Scope, entry: JournalEntry | None = None, **kwargs):
        initial = {}
        people = scope_people(scope)
        if entry is not None:
            named = list(entry.participants.all())
            initial = {
                "prompt": entry.prompt,
                "happened_on": entry.happened_on,
                "title": entry.title,
                "body": entry.body,
                "participants": named,
                "other_participants": entry.other_participants,
                "visibility": entry.visibility,
            }
            # Someone named before who has since left stays on the list, so that saving keeps them.
            people = User.objects.filter(
                pk__in={*people.values_list("pk", flat=True), *(person.pk for person in named)}
            ).order_by("full_name", "email")
        super().__init__(data, initial=initial, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["happened_on"].widget.attrs.update(
            min=PLAUSIBLE.first_day.isoformat(), max=timezone.localdate().isoformat()
        )


class JournalFilterForm(forms.Form):
    """The timeline's filters; a value not understood is ignored (and said), the others still apply."""

    prompt = forms.ChoiceField(
        label=_("Question"),
        required=False,
        choices=[
            ("", _("Toutes les questions")),
            *((key, label) for key, label in PROMPT_SHORT_NAMES.items()),
        ],
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"),
        required=False,
        choices=[("", _("Tous les récits")), *JournalVisibility.choices],
    )

    def __init__(self, data=None, *, with_visibility: bool, **kwargs):
        super().__init__(data, **kwargs)
        if not with_visibility:
            del self.fields["visibility"]

    @property
    def filters(self) -> dict:
        self.is_valid()
        return {key: value for key, value in getattr(self, "cleaned_data", {}).items() if value}
