import datetime
import re
from decimal import Decimal

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import PlatformRole, User
from alliance.forms import LogoInput
from alliance.models import MembershipStatus, Organisation
from core.bounds import CURRENT_ERA, YearRange
from core.uploads import LOGO_ERROR_MESSAGES
from reference.models import Commune, Department, Epci, Region

from .models import (
    DIAGNOSTIC_YEARS,
    TRAJECTORY_YEARS,
    Diagnostic,
    GovernanceBody,
    GroupingKind,
    Milestone,
    Recommendation,
    RecommendationStatus,
    TeamRole,
    Territory,
    TerritoryKind,
)

# --- The reference data, as the forms read what people type ------------------------------------------

REFERENCE_MODELS = {
    TerritoryKind.COMMUNE: Commune,
    TerritoryKind.EPCI: Epci,
    TerritoryKind.GROUPING: Epci,
    TerritoryKind.DEPARTMENT: Department,
    TerritoryKind.REGION: Region,
}
# The field of Territory that points at the reference entity of each kind.
REFERENCE_FIELDS = {
    TerritoryKind.COMMUNE: "commune",
    TerritoryKind.EPCI: "epci",
    TerritoryKind.DEPARTMENT: "department",
    TerritoryKind.REGION: "region",
}
SEARCH_LIMIT = 20
SEARCH_MIN_LENGTH = 2
SIREN_PATTERN = re.compile(r"(?<!\d)(\d{3}) ?(\d{3}) ?(\d{3})(?!\d)")

NOT_FOUND = {
    TerritoryKind.COMMUNE: _(
        "Aucune commune en vigueur ne correspond à « %(text)s » : vérifiez le code INSEE ou le nom."
    ),
    TerritoryKind.EPCI: _(
        "Aucun EPCI en vigueur ne correspond à « %(text)s » : vérifiez le SIREN ou le nom."
    ),
    TerritoryKind.DEPARTMENT: _(
        "Aucun département ne correspond à « %(text)s » : vérifiez le code ou le nom."
    ),
    TerritoryKind.REGION: _("Aucune région ne correspond à « %(text)s » : vérifiez le code ou le nom."),
}
SEVERAL_FOUND = {
    TerritoryKind.COMMUNE: _(
        "Plusieurs communes correspondent à « %(text)s » : choisissez-en une dans la liste."
    ),
    TerritoryKind.EPCI: _("Plusieurs EPCI correspondent à « %(text)s » : choisissez-en un dans la liste."),
    TerritoryKind.DEPARTMENT: _(
        "Plusieurs départements correspondent à « %(text)s » : choisissez-en un dans la liste."
    ),
    TerritoryKind.REGION: _(
        "Plusieurs régions correspondent à « %(text)s » : choisissez-en une dans la liste."
    ),
}


def _words(text: str) -> list[str]:
    # "saint etienne" finds "Saint-Étienne": each word is looked for on its own.
    return [word for word in re.split(r"[\s'’-]+", text) if word][:6]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def reference_matches(kind: str, text: str, *, limit: int = SEARCH_LIMIT):
    """Up to `limit` active entities of the kind whose name, code or SIREN matches what was typed."""
    model = REFERENCE_MODELS.get(kind)
    # A NUL, which PostgreSQL refuses in a query, comes with a form posted back (its text field says so).
    text = " ".join((text or "").replace("\x00", "").split())[:100]
    if model is None or len(text) < SEARCH_MIN_LENGTH:
        return []
    code = _compact(text)
    by_name = Q()
    for word in _words(text):
        by_name &= Q(name__unaccent__icontains=word)
    entities = model.objects.filter(is_active=True)
    if model is Commune:
        entities = entities.filter(by_name | Q(insee_code__startswith=code) | Q(siren=code)).select_related(
            "department"
        )
        entities = entities.order_by(F("population").desc(nulls_last=True), "name")
    elif model is Epci:
        entities = entities.filter(by_name | Q(siren__startswith=code)).order_by(
            F("population").desc(nulls_last=True), "name"
        )
    else:
        entities = entities.filter(by_name | Q(code=code)).order_by("code")
    return list(entities[:limit])


def reference_label(entity) -> str:
    """How an entity of the reference data reads in a list of choices."""
    if isinstance(entity, Commune):
        label = gettext("%(name)s (%(code)s) — %(department)s") % {
            "name": entity.name,
            "code": entity.insee_code,
            "department": entity.department.name,
        }
    elif isinstance(entity, Epci):
        label = gettext("%(name)s — %(kind)s, SIREN %(siren)s") % {
            "name": entity.name,
            "kind": entity.get_kind_display(),
            "siren": entity.siren,
        }
    else:
        return gettext("%(name)s (%(code)s)") % {"name": entity.name, "code": entity.code}
    if entity.population:
        label += " — " + gettext("%(population)s hab.") % {"population": intcomma(entity.population)}
    return label


def reference_code(entity) -> str:
    """The code that names an entity in the form: INSEE code, SIREN or code of the division."""
    if isinstance(entity, Commune):
        return entity.insee_code
    if isinstance(entity, Epci):
        return entity.siren
    return entity.code


def find_reference(kind: str, text: str):
    """The entity that what was typed names without doubt, and otherwise the candidates to choose from."""
    model = REFERENCE_MODELS[kind]
    code = _compact(text)
    active = model.objects.filter(is_active=True)
    if model is Commune:
        exact = active.filter(Q(insee_code=code) | Q(siren=code))
    elif model is Epci:
        exact = active.filter(siren=code)
    else:
        # "1" is the Ain ("01"): people leave out the leading zero.
        exact = active.filter(code__in={code, code.zfill(2)})
    found = list(exact[:2]) or list(active.filter(name__unaccent__iexact=" ".join(text.split()))[:2])
    if len(found) == 1:
        return found[0], []
    return None, reference_matches(kind, text)


def parse_sirens(text: str) -> tuple[list[str], list[str]]:
    """The SIRENs of a text with one EPCI per line (anything after the number is ignored), and the lines
    where no SIREN could be read."""
    sirens, unreadable = [], []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = SIREN_PATTERN.search(line)
        if match:
            siren = "".join(match.groups())
            if siren not in sirens:
                sirens.append(siren)
        else:
            unreadable.append(line.strip()[:60])
    return sirens, unreadable


def epcis_for_sirens(sirens) -> tuple[list[Epci], list[str]]:
    """The active EPCI of the SIRENs, in the order given, and the SIRENs that name none."""
    by_siren = {epci.siren: epci for epci in Epci.objects.filter(siren__in=sirens, is_active=True)}
    return [by_siren[s] for s in sirens if s in by_siren], [s for s in sirens if s not in by_siren]


class CodeListField(forms.Field):
    """The values of several checkboxes or hidden inputs of the same name (codes of the reference data)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        # A code holds no NUL character, which PostgreSQL would refuse in the lookup: such a value is no code.
        codes = (str(v).strip() for v in values)
        return [code[:20] for code in codes if code and "\x00" not in code][:200]


def _clean_epci_choice(form, checked, typed_field):
    """Cleaned EPCI of a grouping: the checked search results and the SIRENs typed one per line."""
    typed, unreadable = parse_sirens(form.cleaned_data.get(typed_field) or "")
    if unreadable:
        form.add_error(
            typed_field,
            gettext("Ces lignes ne contiennent pas de SIREN à 9 chiffres : %(lines)s.")
            % {"lines": " ; ".join(f"« {line} »" for line in unreadable)},
        )
    sirens = list(dict.fromkeys([*checked, *typed]))
    epcis, unknown = epcis_for_sirens(sirens)
    if unknown:
        form.add_error(
            typed_field,
            gettext("Aucun EPCI en vigueur ne porte ce ou ces SIREN : %(sirens)s.")
            % {"sirens": ", ".join(unknown)},
        )
    return epcis


# --- Creation --------------------------------------------------------------------------------------


class TerritoryCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de territoire"),
        choices=TerritoryKind.choices,
        widget=forms.RadioSelect,
        initial=TerritoryKind.COMMUNE,
        error_messages={
            "required": _("Choisissez le type de territoire."),
            "invalid_choice": _("Type inconnu."),
        },
    )
    q = forms.CharField(
        label=_("Rechercher dans le référentiel administratif"),
        required=False,
        max_length=100,
        help_text=_(
            "Un nom, un code INSEE (commune, département, région) ou un SIREN (EPCI). "
            "Sans JavaScript, saisissez le code puis validez le formulaire."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    reference = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    epcis = CodeListField(required=False)
    epci_sirens = forms.CharField(
        label=_("SIREN des EPCI membres"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Un EPCI par ligne : son SIREN à 9 chiffres, suivi si vous voulez de son nom."),
    )
    name = forms.CharField(
        label=_("Nom du territoire"),
        required=False,
        max_length=200,
        help_text=_(
            "Obligatoire pour un regroupement ; sinon, le nom officiel est repris si vous le laissez vide."
        ),
    )
    grouping_kind = forms.ChoiceField(
        label=_("Type de regroupement"),
        required=False,
        choices=[("", "—"), *GroupingKind.choices],
    )
    manager_email = forms.EmailField(
        label=_("Adresse e-mail de la personne qui gèrera le territoire"),
        required=False,
        help_text=_("Facultatif : la personne doit déjà avoir un compte sur la plateforme."),
    )
    manager_role = forms.ChoiceField(
        label=_("Son rôle dans l'équipe"), choices=TeamRole.choices, initial=TeamRole.AGENT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entity = None
        self.chosen_epcis = []
        self.manager = None
        # With htmx, the results follow what is typed and the kind chosen; without it, submitting the form
        # does the search.
        search = {
            "data-hx-get": reverse("territories:reference_search"),
            "data-hx-target": "#reference-results",
        }
        self.fields["q"].widget.attrs.update(
            search,
            **{
                "data-hx-trigger": "input changed delay:300ms, search",
                "data-hx-include": "[name='kind'], [name='epcis']",
                "aria-controls": "reference-results",
            },
        )
        self.fields["kind"].widget.attrs.update(
            search, **{"data-hx-trigger": "change", "data-hx-include": "[name='q'], [name='epcis']"}
        )

    def clean_manager_email(self):
        email = self.cleaned_data["manager_email"].strip().lower()
        if email:
            self.manager = User.objects.filter(email__iexact=email, is_active=True).first()
            if self.manager is None:
                raise forms.ValidationError(
                    _("Aucun compte n'utilise cette adresse : la personne doit d'abord créer son compte.")
                )
        return email

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == TerritoryKind.GROUPING:
            self._clean_grouping(data)
        elif kind in REFERENCE_FIELDS:
            self._clean_reference(kind, data)
        return data

    def _clean_grouping(self, data):
        self.chosen_epcis = _clean_epci_choice(self, data.get("epcis") or [], "epci_sirens")
        if not self.chosen_epcis and not self.has_error("epci_sirens"):
            self.add_error(
                "epci_sirens",
                _(
                    "Choisissez au moins un EPCI : cochez-le dans les résultats de la recherche "
                    "ou saisissez son SIREN."
                ),
            )
        if not (data.get("name") or "").strip():
            self.add_error("name", _("Donnez un nom au regroupement."))
        if not data.get("grouping_kind"):
            self.add_error("grouping_kind", _("Choisissez le type de regroupement."))

    def _clean_reference(self, kind, data):
        text = data.get("reference") or data.get("q") or ""
        if not text.strip():
            self.add_error(
                "q", _("Recherchez l'entité du référentiel et choisissez-la, ou saisissez son code.")
            )
            return
        entity, candidates = find_reference(kind, text)
        if entity is None:
            messages = SEVERAL_FOUND if candidates else NOT_FOUND
            self.add_error("q", messages[kind] % {"text": text.strip()[:100]})
            return
        existing = Territory.objects.filter(**{REFERENCE_FIELDS[kind]: entity}).first()
        if existing is not None:
            self.add_error(
                "q",
                _("Le territoire « %(name)s » existe déjà pour cette entité du référentiel.")
                % {"name": existing.name},
            )
            return
        self.entity = entity


# --- The territory's list --------------------------------------------------------------------------


class _DepartmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class TerritoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un nom"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous les types")), *TerritoryKind.choices]
    )
    department = _DepartmentChoice(
        label=_("Département"),
        required=False,
        queryset=Department.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
        empty_label=_("Tous les départements"),
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        required=False,
        queryset=Region.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        empty_label=_("Toutes les régions"),
    )
    pilot = forms.ChoiceField(
        label=_("Territoires pilotes"),
        required=False,
        choices=[
            ("", _("Pilotes ou non")),
            ("oui", _("Pilotes de l'alliance")),
            ("non", _("Autres territoires")),
        ],
    )


# --- The profile -----------------------------------------------------------------------------------


class TerritoryProfileForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Site web"),
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": _("Saisissez une adresse web complète, par exemple https://exemple.fr.")},
    )
    area_km2 = forms.DecimalField(
        label=_("Superficie (km²)"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("99999999.9"),
        decimal_places=1,
        help_text=_("Facultatif ; la densité en est déduite."),
        error_messages={
            "min_value": _("La superficie doit être positive."),
            "max_value": _("Cette superficie est trop grande."),
            "invalid": _("Saisissez un nombre, par exemple 1 700 ou 1700,5."),
            "max_decimal_places": _("Un chiffre après la virgule au plus."),
        },
        localize=True,
    )
    technical_team_min = forms.IntegerField(
        label=_("Équipe technique : au moins (agents)"),
        required=False,
        min_value=0,
        max_value=10000,
        error_messages={
            "min_value": _("Le nombre d'agents ne peut pas être négatif."),
            "max_value": _("10 000 agents au plus."),
            "invalid": _("Saisissez un nombre entier."),
        },
    )
    technical_team_max = forms.IntegerField(
        label=_("Équipe technique : au plus (agents)"),
        required=False,
        min_value=0,
        max_value=10000,
        help_text=_(
            "Par exemple 6 et 7 pour « 6 à 7 agents » ; le même nombre deux fois pour un effectif exact."
        ),
        error_messages={
            "min_value": _("Le nombre d'agents ne peut pas être négatif."),
            "max_value": _("10 000 agents au plus."),
            "invalid": _("Saisissez un nombre entier."),
        },
    )

    class Meta:
        model = Territory
        fields = [
            "article",
            "description",
            "website",
            "logo",
            "area_km2",
            "technical_team_min",
            "technical_team_max",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "logo": LogoInput}
        help_texts = {
            "description": _(
                "La présentation publique du territoire : son histoire, ses enjeux, sa démarche."
            ),
            "logo": _("PNG, JPEG ou WebP, 1 Mo au plus."),
        }
        error_messages = {"logo": LOGO_ERROR_MESSAGES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["logo"].widget.logo_url = reverse("territories:logo", args=[self.instance.pk])

    def clean(self):
        data = super().clean()
        low, high = data.get("technical_team_min"), data.get("technical_team_max")
        if low is not None and high is not None and high < low:
            self.add_error(
                "technical_team_max",
                _("Le nombre maximum d'agents ne peut pas être inférieur au minimum (%(min)s).")
                % {"min": low},
            )
        return data


class GovernanceBodyForm(forms.ModelForm):
    name = forms.CharField(
        label=_("Instance"),
        max_length=200,
        error_messages={"required": _("Nommez l'instance, par exemple « Comité syndical ».")},
    )
    members = forms.IntegerField(
        label=_("Nombre de membres"),
        min_value=0,
        max_value=100000,
        error_messages={
            "required": _("Indiquez le nombre de membres."),
            "min_value": _("Le nombre de membres ne peut pas être négatif."),
            "max_value": _("100 000 membres au plus."),
            "invalid": _("Saisissez un nombre entier."),
        },
    )

    class Meta:
        model = GovernanceBody
        fields = ["name", "members"]


GovernanceFormSet = forms.inlineformset_factory(
    Territory,
    GovernanceBody,
    form=GovernanceBodyForm,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class EpciCompositionForm(forms.Form):
    """The EPCI a grouping is made of (admins only)."""

    epci_sirens = forms.CharField(
        label=_("SIREN des EPCI membres"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Un EPCI par ligne : son SIREN à 9 chiffres, suivi si vous voulez de son nom."),
        error_messages={"required": _("Un regroupement compte au moins un EPCI.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.epcis = []

    def clean(self):
        data = super().clean()
        if "epci_sirens" in data:
            self.epcis = _clean_epci_choice(self, [], "epci_sirens")
            if not self.epcis and not self.has_error("epci_sirens"):
                self.add_error("epci_sirens", _("Un regroupement compte au moins un EPCI."))
        return data


class _FacilitatorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} — {obj.email}"


class PilotForm(forms.ModelForm):
    pilot_since = forms.IntegerField(
        label=_("Pilote depuis (année)"),
        required=False,
        validators=[CURRENT_ERA.validator],
        widget=forms.NumberInput(attrs={"min": CURRENT_ERA.first, "max": CURRENT_ERA.last}),
        error_messages={"invalid": _("Saisissez une année, par exemple 2021.")},
    )
    facilitators = _FacilitatorChoice(
        label=_("Accompagnateur·ices"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Les comptes qui ont le rôle d'accompagnateur·ice de La Fabrique."),
        error_messages={"invalid_choice": _("Ce compte n'est pas celui d'un·e accompagnateur·ice.")},
    )
    carrier = forms.ModelChoiceField(
        label=_("Organisation membre qui le porte"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Aucune"),
        error_messages={"invalid_choice": _("Choisissez une organisation membre de l'alliance.")},
    )

    class Meta:
        model = Territory
        fields = ["is_pilot", "pilot_since", "facilitators", "carrier", "is_published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory = self.instance
        # Those already assigned stay choosable even if their platform role has changed since.
        self.fields["facilitators"].queryset = User.objects.filter(
            Q(role=PlatformRole.FACILITATOR, is_active=True) | Q(facilitated_territories=territory)
        ).distinct()
        self.fields["carrier"].queryset = (
            Organisation.objects.filter(
                Q(alliance_memberships__status=MembershipStatus.ACCEPTED) | Q(pk=territory.carrier_id)
            )
            .distinct()
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        if data.get("is_pilot") and not data.get("pilot_since") and not self.has_error("pilot_since"):
            self.add_error("pilot_since", _("Indiquez l'année depuis laquelle le territoire est pilote."))
        return data


# --- Trajectory, diagnostic, recommendations --------------------------------------------------------

_YEAR_ERRORS = {"invalid": _("Saisissez une année sur quatre chiffres, par exemple 2017.")}


def _year_field(year_range: YearRange, **kwargs):
    return forms.IntegerField(
        validators=[year_range.validator],
        widget=forms.NumberInput(attrs={"min": year_range.first, "max": year_range.last}),
        **kwargs,
    )


class MilestoneForm(forms.ModelForm):
    start_year = _year_field(
        TRAJECTORY_YEARS,
        label=_("Année"),
        error_messages={**_YEAR_ERRORS, "required": _("Indiquez l'année de l'étape.")},
    )
    end_year = _year_field(
        TRAJECTORY_YEARS,
        label=_("Jusqu'à (année)"),
        required=False,
        help_text=_("Pour une étape qui a duré, par exemple 2007 à 2008 ; sinon, laissez vide."),
        error_messages=_YEAR_ERRORS,
    )

    class Meta:
        model = Milestone
        fields = ["kind", "plan", "title", "start_year", "end_year", "description", "grant_dependent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "plan": _("Pour une stratégie ou un plan : PCET, PCAET, TEPOS, PAT…"),
            "title": _("Par exemple « PCAET : les communautés de communes prennent la main »."),
        }
        error_messages = {
            "kind": {"required": _("Choisissez le type d'étape.")},
            "title": {"required": _("Donnez un intitulé à l'étape.")},
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error(
                "end_year",
                _("L'année de fin ne peut pas précéder l'année de début (%(start)s).") % {"start": start},
            )
        return data


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme la suppression."),
        error_messages={"required": _("Cochez la case pour confirmer la suppression.")},
    )


class DiagnosticForm(forms.ModelForm):
    date = forms.DateField(
        label=_("Date du diagnostic"),
        validators=[DIAGNOSTIC_YEARS.validator],
        widget=forms.DateInput(
            attrs={"type": "date", "min": DIAGNOSTIC_YEARS.first_day.isoformat()}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": _("Indiquez la date du diagnostic."),
            "invalid": _("Saisissez une date, par exemple 01/06/2021."),
        },
    )

    class Meta:
        model = Diagnostic
        fields = ["date", "authors", "findings", "tensions"]
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 6}),
            "tensions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "authors": _("Les personnes ou structures qui l'ont mené."),
            "findings": _("La capacité du territoire à porter et piloter une transition systémique."),
            "tensions": _("Par exemple deux visions contradictoires du territoire."),
        }
        error_messages = {
            "authors": {"required": _("Indiquez qui a mené le diagnostic.")},
            "findings": {"required": _("Résumez les constats du diagnostic.")},
        }

    def clean_date(self):
        date = self.cleaned_data["date"]
        # A diagnostic is made, not planned: at most a year ahead (a date being fixed).
        latest = datetime.date.today() + datetime.timedelta(days=366)
        if date > latest:
            raise forms.ValidationError(_("La date doit être comprise entre 1990 et l'an prochain."))
        return date


class RecommendationForm(forms.ModelForm):
    number = forms.IntegerField(
        label=_("Numéro"),
        min_value=1,
        max_value=999,
        error_messages={
            "required": _("Numérotez la recommandation."),
            "min_value": _("Le numéro va de 1 à 999."),
            "max_value": _("Le numéro va de 1 à 999."),
            "invalid": _("Saisissez un nombre entier."),
        },
    )

    # Empty: the status follows the projects that answer the recommendation.
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("D'après les projets qui y répondent")), *RecommendationStatus.choices],
        help_text=_(
            "D'après les projets : proposée, en cours dès qu'un projet y répond, réalisée dès qu'un projet "
            "est lancé. Un statut choisi ici est gardé tel quel."
        ),
    )

    class Meta:
        model = Recommendation
        fields = ["number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": {"required": _("Rédigez la recommandation.")}}

    def __init__(self, *args, diagnostic, **kwargs):
        super().__init__(*args, **kwargs)
        self.diagnostic = diagnostic
        if self.instance.status_set_by_hand:
            self.initial["status"] = self.instance.status

    @property
    def chosen_status(self):
        """The status set by hand, or None for the one the projects imply."""
        return self.cleaned_data.get("status") or None

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = Recommendation.objects.filter(diagnostic=self.diagnostic, number=number).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                _("La recommandation n°%(number)s existe déjà : choisissez un autre numéro.")
                % {"number": number}
            )
        return number
