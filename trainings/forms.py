from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.bounds import CURRENT_ERA

from .models import MAX_CYCLE_DAYS, AwarenessEvent, Effect, Polarity, TrainingCycle

TEXT_MAX_LENGTH = 5000
# A list pasted at once: a large cycle, not a whole directory.
MAX_PARTICIPANTS_AT_ONCE = 200


def _date_field(label, required_message, help_text=""):
    # Trainings, sessions, events and effects are of the platform's time (the models' range, core.bounds).
    return forms.DateField(
        label=label,
        help_text=help_text,
        validators=[CURRENT_ERA.validator],
        widget=forms.DateInput(attrs={"type": "date", **CURRENT_ERA.widget_attrs()}, format="%Y-%m-%d"),
        error_messages={
            "required": required_message,
            "invalid": _("Saisissez une date valide, par exemple 15/03/2025."),
        },
    )


def _text(label, *, max_length=200, required=True, message=None, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={
            "required": message or _("Ce champ est obligatoire."),
            "max_length": _("%(limit_value)s caractères au plus (vous en avez saisi %(show_value)s)."),
        },
    )


def _long_text(label, help_text="", *, required=False, message=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={
            "required": message or _("Ce champ est obligatoire."),
            "max_length": _("%(limit_value)s caractères au plus (vous en avez saisi %(show_value)s)."),
        },
    )


class CycleForm(forms.Form):
    title = _text(_("Intitulé du cycle"), message=_("Donnez un intitulé au cycle."))
    partner = _text(
        _("Organisme partenaire"), required=False, help_text=_("Par exemple le CNFPT, un bureau d'études…")
    )
    audience = _text(
        _("Public visé"),
        max_length=300,
        message=_("Indiquez à qui s'adresse le cycle."),
        help_text=_("Par exemple : les managers des cinq communautés de communes."),
    )
    days = forms.IntegerField(
        label=_("Nombre de jours de formation"),
        min_value=1,
        max_value=MAX_CYCLE_DAYS,
        help_text=_("Chaque jour du cycle est une séance, avec sa date et ses présences."),
        error_messages={
            "required": _("Indiquez le nombre de jours du cycle."),
            "invalid": _("Saisissez un nombre entier de jours."),
            "min_value": _("Un cycle compte au moins un jour."),
            "max_value": _("Un cycle compte %(limit_value)s jours au plus."),
        },
    )
    start_date = _date_field(_("Début du cycle"), _("Indiquez la date de début du cycle."))
    end_date = _date_field(
        _("Fin du cycle"),
        _("Indiquez la date de fin du cycle."),
        help_text=_("Les séances ont lieu entre ces deux dates, incluses."),
    )
    description = _long_text(_("Présentation"), _("Objectifs, contenu, intervenant·es."))

    @classmethod
    def initial_for(cls, cycle: TrainingCycle) -> dict:
        return {name: getattr(cycle, name) for name in cls.base_fields}


class SessionForm(forms.Form):
    date = _date_field(_("Date de la séance"), _("Indiquez la date de la séance."))
    topic = _text(_("Thème de la journée"), required=False)


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class ParticipantForm(forms.Form):
    """One person, typed or chosen among the territory's team and facilitators."""

    user = AccountChoiceField(
        label=_("Compte sur la plateforme"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Pas de compte : saisir la personne ci-dessous"),
        help_text=_("Facultatif : une personne de l'équipe du territoire ou qui l'accompagne."),
        error_messages={"invalid_choice": _("Choisissez une personne de l'équipe du territoire.")},
    )
    name = _text(
        _("Nom"), required=False, help_text=_("Repris du compte s'il est choisi et que ce champ est vide.")
    )
    organisation = _text(_("Organisation"), required=False)
    function = _text(_("Fonction"), required=False)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip() and not data.get("user") and not self.has_error("user"):
            self.add_error("name", _("Indiquez le nom de la personne, ou choisissez son compte."))
        return data

    def people(self):
        return [{key: self.cleaned_data[key] for key in ("name", "organisation", "function", "user")}]


class ParticipantListForm(forms.Form):
    """Several people at once, one per line: « Nom ; Organisation ; Fonction »."""

    lines = forms.CharField(
        label=_("Personnes à inscrire, une par ligne"),
        max_length=40_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Nom ; organisation ; fonction — l'organisation et la fonction sont facultatives. "
            "Par exemple : Claire Martin ; CC Val 81 ; Directrice des services techniques"
        ),
        error_messages={
            "required": _("Saisissez au moins une personne."),
            "max_length": _("La liste est trop longue : inscrivez-la en plusieurs fois."),
        },
    )

    def clean_lines(self):
        people, too_long = [], []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            name, organisation, function = (parts + ["", ""])[:3]
            if not name or len(parts) > 3:
                raise forms.ValidationError(
                    _("Ligne %(number)s : écrivez « Nom ; organisation ; fonction », le nom d'abord."),
                    params={"number": number},
                )
            if max(len(name), len(organisation), len(function)) > 200:
                too_long.append(str(number))
            people.append({"name": name, "organisation": organisation, "function": function})
        if too_long:
            raise forms.ValidationError(
                _("Lignes %(numbers)s : 200 caractères au plus par nom, organisation ou fonction."),
                params={"numbers": ", ".join(too_long)},
            )
        if not people:
            raise forms.ValidationError(_("Saisissez au moins une personne."))
        if len(people) > MAX_PARTICIPANTS_AT_ONCE:
            raise forms.ValidationError(
                _("%(max)s personnes au plus à la fois : inscrivez la liste en plusieurs fois."),
                params={"max": MAX_PARTICIPANTS_AT_ONCE},
            )
        return people

    def people(self):
        return self.cleaned_data["lines"]


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Présent·es à la séance"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cette personne n'est pas inscrite au cycle.")},
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (p.pk, f"{p.name} — {p.organisation}" if p.organisation else p.name) for p in participants
        ]


class AwarenessForm(forms.Form):
    title = _text(_("Intitulé"), message=_("Donnez un intitulé à la session."))
    date = _date_field(_("Date"), _("Indiquez la date de la session."))
    audience = _text(
        _("Public"),
        max_length=300,
        message=_("Indiquez le public de la session."),
        help_text=_("Par exemple : élu·es et agents des cinq communautés de communes."),
    )
    attendees = forms.IntegerField(
        label=_("Nombre de personnes présentes"),
        min_value=1,
        max_value=100000,
        error_messages={
            "required": _("Indiquez combien de personnes étaient présentes."),
            "invalid": _("Saisissez un nombre entier."),
            "min_value": _("Au moins une personne était présente."),
            "max_value": _("100 000 personnes au plus."),
        },
    )
    partner = _text(_("Animée par"), required=False)
    description = _long_text(_("Présentation"), _("Le contenu de la session, ce qui en est ressorti."))

    @classmethod
    def initial_for(cls, event: AwarenessEvent) -> dict:
        return {name: getattr(event, name) for name in cls.base_fields}


class EffectForm(forms.Form):
    polarity = forms.ChoiceField(
        label=_("Sens de l'effet"),
        choices=Polarity.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Dites si l'effet est positif (+) ou négatif (−)."),
            "invalid_choice": _("Choisissez « positif » ou « négatif »."),
        },
    )
    description = _long_text(
        _("Effet observé"),
        _("Par exemple : le groupe des agents s'est approprié l'exercice."),
        required=True,
        message=_("Décrivez l'effet observé."),
    )
    initiative = _text(
        _("Initiative pilote"),
        required=False,
        help_text=_("Facultatif : laissez vide pour un effet sur le territoire dans son ensemble."),
    )
    observed_on = _date_field(_("Observé le"), _("Indiquez la date de l'observation."))
    observed_by = _text(
        _("Observé par"),
        message=_("Indiquez qui a observé l'effet."),
        help_text=_(
            "Une personne, un groupe ou une instance : « le groupe des DGS », « l'accompagnatrice »…"
        ),
    )

    def __init__(self, *args, initiatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        if initiatives:
            self.fields["initiative"].widget.attrs["list"] = "initiatives"
        self.initiatives = initiatives

    @classmethod
    def initial_for(cls, effect: Effect) -> dict:
        return {name: getattr(effect, name) for name in cls.base_fields}


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme la suppression."),
        error_messages={"required": _("Cochez la case pour confirmer la suppression.")},
    )
