"""What a stored value may be, so that every page, chart and PDF can show it back.

Dates, datetimes and years live in a plausible range of years (`PLAUSIBLE`, 1900–2200, or a narrower
`YearRange` where the domain says so). A text a person writes has a bounded length. Each bound is held twice:
by the form, whose French message is shown beside the field, and by a database check constraint, which also
holds for whatever bypasses the forms (the admin, a script, raw SQL). Both come from here:

    starts_at = models.DateTimeField(validators=[CURRENT_ERA.validator])
    body = models.TextField(max_length=LONG_TEXT)
    class Meta:
        constraints = [CURRENT_ERA.datetime_constraint("starts_at"), text_length("body", LONG_TEXT)]

A migration adding such a constraint first mends the rows that would break it (`mend_range`, `mend_lengths`):
a date out of range moves to the nearest end of the range, a text too long is cut. It never fails on old data.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.db.models.functions import Left, Length
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The datetime bounds of the database are one day wider than the years they stand for: the form checks the
# year as the person typed it (in their time zone), the database compares instants in UTC.
_MARGIN = datetime.timedelta(days=1)


def _year_of(value) -> int | None:
    """The year a person sees for a date, a datetime (in the current time zone) or a year."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            # Years 1 and 9999 cannot always move to another offset: out of any range anyway.
            with contextlib.suppress(OverflowError, ValueError):
                value = timezone.localtime(value)
        return value.year
    if isinstance(value, datetime.date):
        return value.year
    return int(value)


@deconstructible
class YearRangeValidator:
    """Refuses a date, a datetime or a year outside [first, last], with a French message for the field."""

    code = "implausible_date"

    def __init__(self, first: int, last: int):
        self.first, self.last = first, last

    def __call__(self, value):
        year = _year_of(value)
        if year is None or self.first <= year <= self.last:
            return
        if isinstance(value, datetime.date):
            message = _("Vérifiez l'année : la date doit être comprise entre %(first)s et %(last)s.")
        else:
            message = _("Vérifiez l'année : elle doit être comprise entre %(first)s et %(last)s.")
        raise ValidationError(message, code=self.code, params={"first": self.first, "last": self.last})

    def __eq__(self, other):
        return isinstance(other, YearRangeValidator) and (self.first, self.last) == (other.first, other.last)

    def __hash__(self):
        return hash((self.first, self.last))


@dataclass(frozen=True)
class YearRange:
    """The years a date may fall in, both included."""

    first: int
    last: int

    @property
    def validator(self) -> YearRangeValidator:
        return YearRangeValidator(self.first, self.last)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.first, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.last, 12, 31)

    @property
    def first_instant(self) -> datetime.datetime:
        return datetime.datetime(self.first, 1, 1, tzinfo=datetime.UTC) - _MARGIN

    @property
    def last_instant(self) -> datetime.datetime:
        return datetime.datetime(self.last, 12, 31, 23, 59, 59, tzinfo=datetime.UTC) + _MARGIN

    def contains(self, value) -> bool:
        year = _year_of(value)
        return year is None or self.first <= year <= self.last

    def date_constraint(self, field: str) -> models.CheckConstraint:
        return self._constraint(field, self.first_day, self.last_day)

    def datetime_constraint(self, field: str) -> models.CheckConstraint:
        return self._constraint(field, self.first_instant, self.last_instant)

    def year_constraint(self, field: str) -> models.CheckConstraint:
        return self._constraint(field, self.first, self.last)

    def _constraint(self, field, low, high) -> models.CheckConstraint:
        # A NULL passes a check constraint: an optional date stays optional. The field's validator speaks to
        # the person before this constraint could: it has no message of its own.
        return models.CheckConstraint(
            condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high}),
            name=f"%(app_label)s_%(class)s_{field}_range",
        )

    def widget_attrs(self, *, with_time: bool = False) -> dict:
        """`min` and `max` for a date (or datetime-local) input: the browser's picker stays in range."""
        if with_time:
            return {"min": f"{self.first_day.isoformat()}T00:00", "max": f"{self.last_day.isoformat()}T23:59"}
        return {"min": self.first_day.isoformat(), "max": self.last_day.isoformat()}


# Any date the platform stores: a century of history and a century and more of plans.
PLAUSIBLE = YearRange(1900, 2200)
# What a territory does and plans on the platform: meetings, trainings, project steps, evaluations… The
# alliance's method dates from the 2010s; a deadline of 2100 is already a far one.
CURRENT_ERA = YearRange(2000, 2100)


# --- Texts -------------------------------------------------------------------------------------------------

# The length, in characters, of what a person writes in a multi-line field.
SHORT_TEXT = 2_000  # a message, a reason, a mandate
TEXT = 5_000  # a presentation, a description, a recommendation, evidence
LONG_TEXT = 20_000  # a message of a group, a proposal, a diagnostic's findings, a text of the public site
DOCUMENT_TEXT = 50_000  # an answer of a deliverable, a récit, the minutes of a meeting: about 15 pages


def text_length(field: str, max_length: int) -> models.CheckConstraint:
    """The database's half of a text field's `max_length` (PostgreSQL's `text` has no bound of its own)."""
    return models.CheckConstraint(
        condition=models.lookups.LessThanOrEqual(Length(field), max_length),
        name=f"%(app_label)s_%(class)s_{field}_length",
    )


# --- Migrations --------------------------------------------------------------------------------------------


def _clamped(model, field: str, low, high, new_low, new_high):
    # One CASE per column keeps NULL as NULL (GREATEST/LEAST would turn it into a bound).
    output_field = model._meta.get_field(field)
    return models.Case(
        models.When(**{f"{field}__lt": low}, then=models.Value(new_low, output_field=output_field)),
        models.When(**{f"{field}__gt": high}, then=models.Value(new_high, output_field=output_field)),
        default=models.F(field),
        output_field=output_field,
    )


def _mending(field, year_range: YearRange) -> tuple:
    """(lowest, highest) the database accepts, (first, last) values a mended row takes."""
    if isinstance(field, models.DateTimeField):
        # Noon UTC of the first and last days: the same days in any time zone of the platform's users.
        first = datetime.datetime(year_range.first, 1, 1, 12, tzinfo=datetime.UTC)
        last = datetime.datetime(year_range.last, 12, 31, 12, tzinfo=datetime.UTC)
        return year_range.first_instant, year_range.last_instant, first, last
    if isinstance(field, models.DateField):
        return year_range.first_day, year_range.last_day, year_range.first_day, year_range.last_day
    return year_range.first, year_range.last, year_range.first, year_range.last


def mend_range(model: str, **fields: YearRange) -> migrations.RunPython:
    """A migration step moving each out-of-range value of `model` ("app.Model") to the nearest end of its
    range: `mend_range("projects.Step", start=YearRange(2000, 2100), end=YearRange(2000, 2100))`.

    All the columns of a row change in one UPDATE, so a constraint tying them (an end after its start) still
    holds: moving both ends towards the same range keeps their order."""

    def forward(apps, schema_editor):
        model_class = apps.get_model(model)
        bounds = {name: _mending(model_class._meta.get_field(name), years) for name, years in fields.items()}
        outside = models.Q()
        for name, (low, high, _first, _last) in bounds.items():
            outside |= models.Q(**{f"{name}__lt": low}) | models.Q(**{f"{name}__gt": high})
        model_class._base_manager.filter(outside).update(
            **{name: _clamped(model_class, name, *bound) for name, bound in bounds.items()}
        )

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)


def mend_lengths(model: str, **fields: int) -> migrations.RunPython:
    """A migration step cutting each text of `model` longer than its limit: `mend_lengths("a.M", body=9)`."""

    def forward(apps, schema_editor):
        manager = apps.get_model(model)._base_manager
        for field, max_length in fields.items():
            manager.alias(_length=Length(field)).filter(_length__gt=max_length).update(
                **{field: Left(field, max_length)}
            )

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)
