from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import CURRENT_ERA

from .models import MAX_DAYS
from .selectors import PUBLIC_SECTIONS, SECTIONS, Period, default_year

FIRST_YEAR = 2015


class SynthesisForm(forms.Form):
    """The period (a year, or two dates), the sections and the version. Read from the query string to
    preview, and posted to ask for the documents."""

    year = forms.TypedChoiceField(label=_("Année"), coerce=int, required=False)
    start = forms.DateField(
        label=_("ou du"),
        required=False,
        validators=[CURRENT_ERA.validator],
        widget=forms.DateInput(attrs={"type": "date", **CURRENT_ERA.widget_attrs()}),
        help_text=_("Laissez vide pour l'année entière."),
    )
    end = forms.DateField(
        label=_("au"),
        required=False,
        validators=[CURRENT_ERA.validator],
        widget=forms.DateInput(attrs={"type": "date", **CURRENT_ERA.widget_attrs()}),
    )
    sections = forms.MultipleChoiceField(
        label=_("Parties du bilan"),
        choices=[(key, title) for key, title, _public in SECTIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    public = forms.BooleanField(
        label=_("Version publique"),
        required=False,
        help_text=_(
            "Ne garde que ce que la plateforme publie : le profil du territoire, sa trajectoire et sa "
            "gouvernance. À partager au-delà de l'équipe."
        ),
    )

    def __init__(self, *args, sees_private: bool, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]
        self.fields["year"].initial = default_year()
        self.fields["sections"].initial = [key for key, _title, _public in SECTIONS]
        self.sees_private = sees_private
        if not sees_private:
            # Someone outside the territory's team and accompaniment reads its public version only.
            self.fields["public"].initial = True
            self.fields["public"].disabled = True
            self.fields["sections"].choices = [(k, t) for k, t, public in SECTIONS if public]
            self.fields["sections"].initial = PUBLIC_SECTIONS

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if (start is None) != (end is None) and not self.has_error("start") and not self.has_error("end"):
            raise forms.ValidationError(_("Donnez les deux dates de la période, ou aucune pour une année."))
        if start is not None:
            # Each date is in CURRENT_ERA already (the fields' validator).
            if end < start:
                self.add_error("end", _("La fin de la période ne peut pas précéder son début."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Un bilan couvre cinq ans au plus."))
        if not cleaned.get("sections"):
            self.add_error("sections", _("Choisissez au moins une partie du bilan."))
        if not self.sees_private:
            cleaned["public"] = True
        return cleaned

    @property
    def period(self) -> Period:
        cleaned = self.cleaned_data
        if cleaned.get("start") is not None:
            return Period(cleaned["start"], cleaned["end"])
        return Period.year(cleaned.get("year") or default_year())
