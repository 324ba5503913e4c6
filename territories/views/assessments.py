"""The self-assessment of a territory on the 4 fundamentals: its history, a new one, one compared with the
one before it, drawn as a radar."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.decorators import login_required
from core.errors import DomainError

from .. import selectors, services
from ..access import get_territory_for_contributing
from ..assessment_forms import AssessmentForm
from ..charts import FUNDAMENTAL_SHORT_LABELS, radar_svg
from ..models import MATURITY_LEVELS, AssessmentScore, Fundamental

PAGE_SIZE = 20
LEVEL_LABELS = dict(MATURITY_LEVELS)


def _levels(assessment) -> dict[int, int]:
    return {score.fundamental: score.level for score in assessment.scores.all()}


def _long_date(date) -> str:
    return dates.long_date(date)


@dataclass(frozen=True)
class FundamentalRow:
    """One fundamental of an assessment, beside its level in the previous one."""

    fundamental: Fundamental
    score: AssessmentScore | None
    previous_level: int | None

    @property
    def short_label(self):
        return FUNDAMENTAL_SHORT_LABELS[self.fundamental]

    @property
    def level_label(self):
        return LEVEL_LABELS[self.score.level] if self.score else ""

    @property
    def previous_level_label(self):
        return LEVEL_LABELS[self.previous_level] if self.previous_level is not None else ""

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous_level is None:
            return None
        return self.score.level - self.previous_level

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "—"
        if change == 0:
            return _("stable")
        return f"+{change}" if change > 0 else f"−{-change}"


def assessment_comparison(assessment, previous):
    """The radar of an assessment against the previous one and the rows of the table that is its text
    alternative: the context of territories/includes/assessment_comparison.html."""
    scores = {score.fundamental: score for score in assessment.scores.all()}
    previous_levels = _levels(previous) if previous else None
    rows = [
        FundamentalRow(
            fundamental=fundamental,
            score=scores.get(fundamental),
            previous_level=previous_levels.get(fundamental) if previous_levels else None,
        )
        for fundamental in Fundamental
    ]
    radar = radar_svg(
        _levels(assessment),
        previous_levels,
        current_label=_("Auto-évaluation du %(date)s") % {"date": _long_date(assessment.date)},
        previous_label=(
            _("Précédente, du %(date)s") % {"date": _long_date(previous.date)} if previous else None
        ),
    )
    return {"rows": rows, "radar": radar, "current": assessment, "previous": previous}


@login_required
def assessment_list(request, pk):
    territory, _rights = get_territory_for_contributing(request.user, pk)
    page = Paginator(selectors.assessments_of(territory), PAGE_SIZE).get_page(request.GET.get("page"))
    for assessment in page:
        levels = _levels(assessment)
        assessment.level_cells = [levels.get(fundamental) for fundamental in Fundamental]
    # The first page already holds the latest two assessments.
    recent = page.object_list[:2] if page.number == 1 else selectors.assessments_of(territory)[:2]
    latest, previous = [*recent, None, None][:2]
    return render(
        request,
        "territories/assessment_list.html",
        {
            "territory": territory,
            "page": page,
            "comparison": assessment_comparison(latest, previous) if latest else None,
            "fundamentals": [(f, FUNDAMENTAL_SHORT_LABELS[f]) for f in Fundamental],
        },
    )


@login_required
def assessment_new(request, pk):
    territory, rights = get_territory_for_contributing(request.user, pk)
    previous = selectors.assessments_of(territory).first()
    previous_levels = _levels(previous) if previous else {}
    initial = {"date": timezone.localdate()}
    initial.update({f"level_{fundamental}": level for fundamental, level in previous_levels.items()})
    if rights.is_facilitator:
        initial["discussed_with"] = request.user.pk
    form = AssessmentForm(
        request.POST if request.method == "POST" else None, territory=territory, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_record(
                actor=request.user,
                territory=territory,
                date=data["date"],
                scores=form.scores(),
                comment=data["comment"],
                discussed_with=data["discussed_with"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("L'auto-évaluation du %(date)s est enregistrée.") % {"date": _long_date(assessment.date)},
            )
            return redirect("territories:assessment_detail", pk=territory.pk, assessment_pk=assessment.pk)
    return render(
        request,
        "territories/assessment_form.html",
        {
            "territory": territory,
            "form": form,
            "previous": previous,
            "fundamentals": [
                (fundamental, level, evidence, comment, LEVEL_LABELS.get(previous_levels.get(fundamental)))
                for fundamental, level, evidence, comment in form.fundamentals()
            ],
        },
    )


@login_required
def assessment_detail(request, pk, assessment_pk):
    territory, _rights = get_territory_for_contributing(request.user, pk)
    assessment = selectors.assessments_of(territory).filter(pk=assessment_pk).first()
    if assessment is None:
        raise Http404
    earlier = Q(date__lt=assessment.date) | Q(date=assessment.date, pk__lt=assessment.pk)
    later = Q(date__gt=assessment.date) | Q(date=assessment.date, pk__gt=assessment.pk)
    previous = selectors.assessments_of(territory).filter(earlier).order_by("-date", "-pk").first()
    following = territory.assessments.filter(later).order_by("date", "pk").only("pk", "date").first()
    return render(
        request,
        "territories/assessment_detail.html",
        {
            "territory": territory,
            "assessment": assessment,
            "comparison": assessment_comparison(assessment, previous),
            "previous": previous,
            "following": following,
        },
    )
