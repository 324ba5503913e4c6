"""The forms of the actor map: they only clean input; the rules (links inside the project, no loop in the
chain of actions, unique names and orders) are the services' and come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Action, Actor, ActorFamily, ActorKind, Influence, InfluenceSign, InfluenceStrength

NOT_OF_PROJECT = _("Choisissez un acteur de ce projet.")


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActorsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActorForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=Actor._meta.get_field("name").max_length)
    kind = forms.ChoiceField(label=_("Nature"), choices=ActorKind.choices, initial=ActorKind.PERSON)
    family = forms.ChoiceField(label=_("Famille"), choices=ActorFamily.choices)
    role = forms.CharField(
        label=_("Rôle dans le projet"), max_length=Actor._meta.get_field("role").max_length, required=False
    )
    is_selected = forms.BooleanField(
        label=_("Retenu pour le projet"),
        required=False,
        initial=True,
        help_text=_("La sélection des acteurs : ceux que le projet mobilise."),
    )

    @classmethod
    def for_actor(cls, actor, data=None, *, prefix):
        initial = {f: getattr(actor, f) for f in ("name", "kind", "family", "role", "is_selected")}
        return cls(data, initial=initial, prefix=prefix)


class SelectForm(forms.Form):
    is_selected = forms.BooleanField(required=False)


class ImportForm(forms.Form):
    stakeholders = forms.ModelMultipleChoiceField(
        label=_("Parties prenantes de la note de cadrage"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une partie prenante.")},
    )

    def __init__(self, *args, stakeholders, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["stakeholders"]
        field.queryset = stakeholders
        field.initial = [s.pk for s in stakeholders]
        field.error_messages["invalid_choice"] = _("Cette partie prenante est déjà sur la carte.")


class InfluenceForm(forms.Form):
    source = ActorChoiceField(
        label=_("L'acteur"), queryset=None, error_messages={"invalid_choice": NOT_OF_PROJECT}
    )
    target = ActorChoiceField(
        label=_("a une influence sur"), queryset=None, error_messages={"invalid_choice": NOT_OF_PROJECT}
    )
    strength = forms.ChoiceField(
        label=_("Intensité"), choices=InfluenceStrength.choices, initial=InfluenceStrength.MEDIUM
    )
    sign = forms.ChoiceField(label=_("Sens"), choices=InfluenceSign.choices, initial=InfluenceSign.POSITIVE)
    comment = forms.CharField(
        label=_("Commentaire"), max_length=Influence._meta.get_field("comment").max_length, required=False
    )

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = actors
        self.fields["target"].queryset = actors

    @classmethod
    def for_influence(cls, influence, data=None, *, actors, prefix):
        initial = {
            "source": influence.source_id,
            "target": influence.target_id,
            "strength": influence.strength,
            "sign": influence.sign,
            "comment": influence.comment,
        }
        return cls(data, initial=initial, actors=actors, prefix=prefix)


class ActionForm(forms.Form):
    order = forms.IntegerField(
        label=_("Ordre"),
        min_value=0,
        max_value=32767,
        help_text=_("0 pour la première action, puis 1, 2…"),
    )
    title = forms.CharField(label=_("Action"), max_length=Action._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("Précisions"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    carriers = ActorsChoiceField(
        label=_("Portée par"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choisissez au moins un acteur qui porte l'action."),
            "invalid_choice": NOT_OF_PROJECT,
        },
    )
    leads_to = forms.ModelMultipleChoiceField(
        label=_("Mène à"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choisissez une action de ce projet.")},
    )

    def __init__(self, *args, actors, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carriers"].queryset = actors
        self.fields["leads_to"].queryset = actions

    @classmethod
    def for_action(cls, action, data=None, *, actors, actions, prefix):
        initial = {
            "order": action.order,
            "title": action.title,
            "description": action.description,
            "carriers": [a.pk for a in action.carriers.all()],
            "leads_to": [a.pk for a in action.leads_to.all()],
        }
        # Never its own successor: the same choices on the page and in what is posted.
        return cls(data, initial=initial, actors=actors, actions=actions.exclude(pk=action.pk), prefix=prefix)
