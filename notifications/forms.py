from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import Frequency

ERRORS = {
    "required": _("Choisissez comment être prévenu·e."),
    "invalid_choice": _("Choisissez « Tout de suite », « Résumé quotidien » ou « Jamais par e-mail »."),
}


def _group_label(key: str):
    """The kinds of one app go together, under the app's name ("Projets", "Groupes de pairs"…)."""
    try:
        return apps.get_app_config(key.split(".", 1)[0]).verbose_name
    except LookupError:
        return _("Autres")


class PreferencesForm(forms.Form):
    """One choice per registered kind; the initial value of each is the frequency the person gets now."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        # Kind keys hold dots ("projects.submitted"): field names and ids keep to safe characters.
        self.kind_of_field = {}
        for key, kind in kinds.KINDS.items():
            name = "kind_" + key.replace(".", "__")
            self.kind_of_field[name] = key
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                initial=current[key],
                error_messages=ERRORS,
            )

    def groups(self) -> list[tuple[str, list]]:
        """The fields, grouped by the app that registered their kind, in the order of registration."""
        grouped: dict[str, list] = {}
        for name, key in self.kind_of_field.items():
            grouped.setdefault(_group_label(key), []).append(self[name])
        return list(grouped.items())

    def changed_frequencies(self) -> dict[str, str]:
        return {self.kind_of_field[name]: self.cleaned_data[name] for name in self.changed_data}
