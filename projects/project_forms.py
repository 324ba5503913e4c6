"""The forms of the project pages: a project's description and team, its facilitators, its abandonment, and
the filters of the lists. They only clean input; the services check the rules across objects."""

from html import escape

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import PlatformRole, User
from core.form_renderer import PlainRenderer
from core.models import Theme
from territories.models import Recommendation, Territory

from .models import Stage

INVALID_CHOICE = _("Ce choix n'est pas proposé : choisissez dans la liste.")
INVALID_CHOICES = _("Un des choix n'est pas proposé : choisissez dans la liste.")


class _ManyOptionsSelect(forms.Select):
    """A select of possibly a thousand options (every territory, for an admin), written in Python: Django's
    template per option made the review queue several times slower than its query."""

    # The choices as given: (value, label) pairs, or a model field's iterator. Django's property normalizes
    # them on every assignment, walking a thousand options for the field and again for the widget.
    choices = ()

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for v, label in self.choices:
            v = str(v)
            selected = " selected" if v in chosen else ""
            options.append(f'<option value="{escape(v)}"{selected}>{escape(str(label))}</option>')
        # Every value and label is escaped above, the attributes by flatatt.
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")  # noqa: S308


class _RowChoiceField(forms.TypedChoiceField):
    """A choice among rows of the database read as (pk, label) values in one query, which both the select
    and the validation use: no model instance per option, no second query to check the chosen one. Its
    cleaned value is the chosen row's pk."""

    widget = _ManyOptionsSelect
    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)
        self.empty_label = empty_label

    def set_rows(self, rows) -> None:
        """(pk, label) pairs, in the order shown."""
        self.choices = [("", self.empty_label), *rows]

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        # Flat (value, label) pairs already: Django's normalization of them cost the admins' queue a walk
        # through every territory for the field and another for its widget.
        self._choices = self.widget.choices = list(value)


class _ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The options read in one plain query: Django's iterator goes through a server-side cursor (DECLARE,
    FETCH, CLOSE: three round trips) for a list of a dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class _ThemeChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoiceIterator
    widget = _ManyOptionsSelect


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} ({user.email})" if user.full_name else user.email


class _UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class _RecommendationsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, recommendation):
        text = " ".join(recommendation.text.split())
        return f"R{recommendation.number} — {text[:160]}{'…' if len(text) > 160 else ''}"


def _multiple(field_class, queryset, label, help_text=""):
    return field_class(
        queryset=queryset,
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": INVALID_CHOICES, "invalid_pk_value": INVALID_CHOICES},
    )


class ProjectForm(forms.Form):
    """Creating or editing a project of `territory`: its people come from the territory's team, its
    recommendations from the territory's diagnostic, its themes from the managed list."""

    title = forms.CharField(
        label=_("Titre du projet"),
        max_length=200,
        error_messages={"required": _("Donnez un titre au projet.")},
    )
    summary = forms.CharField(
        label=_("Résumé"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quelques phrases ; la note d'intention détaillera le projet."),
    )

    def __init__(self, data=None, *, territory: Territory, project=None, **kwargs):
        initial = {}
        if project is not None:
            initial = {
                "title": project.title,
                "summary": project.summary,
                "themes": list(project.themes.all()),
                "lead": project.lead,
                "members": list(project.members.all()),
                "recommendations": list(project.recommendations.all()),
            }
        super().__init__(data, initial=initial, **kwargs)
        team = User.objects.filter(territory_roles__territory=territory, is_active=True).order_by(
            "full_name", "email"
        )
        # A theme taken off the list stays on the projects that already had it.
        kept = Q(projects=project) if project is not None else Q(pk__in=[])
        self.fields["themes"] = _multiple(
            forms.ModelMultipleChoiceField,
            Theme.objects.filter(Q(is_active=True) | kept).distinct().order_by("position", "name"),
            _("Thèmes"),
        )
        self.fields["lead"] = _UserChoice(
            queryset=team,
            label=_("Porteur·se du projet"),
            empty_label=_("Choisir dans l'équipe du territoire"),
            error_messages={
                "required": _("Choisissez le ou la porteur·se du projet."),
                "invalid_choice": _("Le ou la porteur·se se choisit dans l'équipe du territoire."),
            },
        )
        self.fields["members"] = _multiple(
            _UsersChoice,
            team,
            _("Équipe projet"),
            _("Les membres de l'équipe du territoire qui écrivent les livrables avec le ou la porteur·se."),
        )
        self.fields["recommendations"] = _multiple(
            _RecommendationsChoice,
            Recommendation.objects.filter(diagnostic__territory=territory).order_by("number"),
            _("Recommandations du diagnostic auxquelles le projet répond"),
        )
        if not self.fields["recommendations"].queryset.exists():
            del self.fields["recommendations"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_summary(self):
        return self.cleaned_data["summary"].strip()


class FacilitatorsForm(forms.Form):
    facilitators = _multiple(
        _UsersChoice,
        User.objects.filter(role=PlatformRole.FACILITATOR, is_active=True).order_by("full_name", "email"),
        _("Accompagnateur·ices du projet"),
        _("Ils et elles relisent les livrables, commentent, demandent des reprises et valident."),
    )


class AbandonForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi le projet est-il abandonné ?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Dites pourquoi le projet est abandonné.")},
        help_text=_("L'équipe et les accompagnateur·ices liront cette raison sur la page du projet."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Dites pourquoi le projet est abandonné."))
        return reason


class ProjectFilterForm(forms.Form):
    """The filters of every list of projects; each list drops the ones that make no sense on it."""

    # Written in Python: Django's templates per field, label and widget cost the review queue more than its
    # table of results.
    default_renderer = PlainRenderer

    q = forms.CharField(label=_("Rechercher un titre"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Étape"), required=False, choices=[("", _("Toutes les étapes")), *Stage.choices]
    )
    theme = _ThemeChoiceField(
        label=_("Thème"),
        required=False,
        queryset=Theme.objects.order_by("position", "name"),
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    territory = _RowChoiceField(label=_("Territoire"), empty_label=_("Tous"))
    facilitator = _RowChoiceField(label=_("Accompagnateur·ice"), empty_label=_("Tous et toutes"))

    def __init__(self, data=None, *, territories=None, exclude=(), **kwargs):
        """`territories`: a queryset of the territories offered (none when not given)."""
        super().__init__(data, **kwargs)
        for name in exclude:
            del self.fields[name]
        if "territory" in self.fields:
            self.fields["territory"].set_rows(
                territories.order_by("name").values_list("pk", "name") if territories is not None else []
            )
        if "facilitator" in self.fields:
            facilitators = User.objects.filter(role=PlatformRole.FACILITATOR).order_by("full_name", "email")
            self.fields["facilitator"].set_rows(
                (pk, f"{name} ({email})" if name else email)
                for pk, name, email in facilitators.values_list("pk", "full_name", "email")
            )

    @property
    def filters(self) -> dict:
        """The filters that are understood apply even when another one is not (its error is shown)."""
        self.is_valid()
        return {key: value for key, value in getattr(self, "cleaned_data", {}).items() if value}
