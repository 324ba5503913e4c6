"""Every date the platform stores is in a plausible range, checked beside the field and by the database; a
migration mends the old rows instead of failing on them."""

import datetime
import zoneinfo
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddConstraint, RunPython

from core.bounds import CURRENT_ERA, PLAUSIBLE, YearRange, YearRangeValidator

# The project's own apps, those to come included (the virtualenv may live inside the project's folder).
PROJECT_APPS = {
    app.label
    for app in apps.get_app_configs()
    if Path(app.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(app.path).parts
}
# Written by the platform's clock alone, never by a person, a form or the admin: notifications (read,
# e-mailed), the e-mail outbox and the PDF documents' queues, the last reading of an agenda feed.
CLOCK_ONLY = {"notifications", "outbox", "documents"}
CLOCK_ONLY_FIELDS = {
    ("calendars", "calendarsubscription", "last_read_at"),
    ("accounts", "session", "expire_date"),  # the session's end, set by Django from SESSION_COOKIE_AGE
}
YEAR_FIELDS = {
    ("territories", "territory", "pilot_since"),
    ("territories", "milestone", "start_year"),
    ("territories", "milestone", "end_year"),
}
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _stored_dates():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS - CLOCK_ONLY:
            continue
        for field in model._meta.concrete_fields:
            if (model._meta.app_label, model._meta.model_name, field.name) in CLOCK_ONLY_FIELDS:
                continue
            # A DateTimeField is a DateField; the automatic ones are the clock's.
            dated = isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add)
            year = (model._meta.app_label, model._meta.model_name, field.name) in YEAR_FIELDS
            if dated or year:
                yield model, field


def _constraint(model, field):
    name = f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_range"
    return next((c for c in model._meta.constraints if c.name == name), None)


def test_every_stored_date_has_a_range_checked_by_its_field_and_by_the_database():
    checked = list(_stored_dates())
    assert len(checked) >= 40
    for model, field in checked:
        where = f"{model._meta.label}.{field.name}"
        validators = [v for v in field.validators if isinstance(v, YearRangeValidator)]
        assert len(validators) == 1, f"{where} has no YearRangeValidator"
        constraint = _constraint(model, field)
        assert constraint is not None, f"{where} has no range constraint"
        (low_key, low), (high_key, high) = constraint.condition.children
        assert (low_key, high_key) == (f"{field.name}__gte", f"{field.name}__lte"), where
        year_range = YearRange(validators[0].first, validators[0].last)
        if isinstance(field, models.DateTimeField):
            assert (low, high) == (year_range.first_instant, year_range.last_instant), where
        elif isinstance(field, models.DateField):
            assert (low, high) == (year_range.first_day, year_range.last_day), where
        else:
            assert (low, high) == (year_range.first, year_range.last), where
        assert 1900 <= year_range.first <= year_range.last <= 2200, where


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(1899, 12, 31),
        datetime.date(2201, 1, 1),
        datetime.date(1, 1, 1),
        datetime.date(9999, 12, 31),
        datetime.datetime(1, 1, 1, tzinfo=PARIS),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=PARIS),
        1899,
        32767,
    ],
)
def test_the_validator_refuses_an_implausible_value_with_a_french_message(value):
    with pytest.raises(ValidationError) as caught:
        PLAUSIBLE.validator(value)
    assert caught.value.messages[0].startswith("Vérifiez l'année")
    assert "1900 et 2200" in caught.value.messages[0]


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        datetime.date(1900, 1, 1),
        datetime.date(2200, 12, 31),
        datetime.datetime(1900, 1, 1, tzinfo=PARIS),
    ],
)
def test_the_validator_accepts_the_ends_of_its_range_and_no_value(value):
    PLAUSIBLE.validator(value)


def test_a_datetime_is_judged_by_the_year_its_writer_sees():
    # 1 January 2000 at 00:30 in Paris is still 1999 in UTC: the person typed 2000, it is accepted.
    CURRENT_ERA.validator(datetime.datetime(2000, 1, 1, 0, 30, tzinfo=PARIS))
    # ...and the database, which compares instants in UTC, accepts it too.
    assert CURRENT_ERA.first_instant < datetime.datetime(2000, 1, 1, 0, 30, tzinfo=PARIS)


@pytest.mark.django_db
def test_the_database_refuses_an_implausible_date_written_around_the_forms(world):
    step = world.step
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE projects_step SET \"end\" = '9999-12-31' WHERE id = %s", [step.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cooperation_meeting SET starts_at = '0001-01-01T00:00:00+00:09:21' WHERE id = %s",
            [world.group_meeting.pk],
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE territories_milestone SET end_year = 32000 WHERE id = %s", [world.milestone.pk]
        )


# --- The migrations mend the rows they find out of range ----------------------------------------------------


def _mended_then_checked(keys, mend):
    """What each migration `keys` does to the rows it finds: drop the range constraints it adds, let `mend()`
    put rows out of range, run the migration's own mending steps, then add its constraints back, which fails
    if a row is still out of range.

    Only the migration's own steps run, on the models as they are: migrating the whole graph back and forth
    (every later migration of every app that depends on these) took 45 s and tested nothing more."""
    loader = MigrationLoader(connection)
    operations = [(key[0], operation) for key in keys for operation in loader.graph.nodes[key].operations]
    constraints = [
        (apps.get_model(app, operation.model_name), operation.constraint)
        for app, operation in operations
        if isinstance(operation, AddConstraint)
    ]
    steps = [operation for _app, operation in operations if isinstance(operation, RunPython)]
    assert constraints and steps
    with connection.schema_editor() as editor:
        for model, constraint in constraints:
            editor.remove_constraint(model, constraint)
        mend()
        for step in steps:
            step.code(apps, editor)
        for model, constraint in constraints:
            editor.add_constraint(model, constraint)


def around(app: str, name: str) -> tuple:
    """The migration of `app` named `…_name`."""
    migrations = MigrationLoader(connection).disk_migrations
    return next(key for key in migrations if key[0] == app and key[1].endswith(f"_{name}"))


@pytest.mark.django_db
def test_the_migration_moves_old_out_of_range_dates_into_the_range_instead_of_failing(world):
    step, meeting = world.step, world.group_meeting
    keys = [around("projects", "plausible_dates"), around("cooperation", "plausible_dates")]

    def put_dates_out_of_range():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE projects_step SET start = '0001-01-01', \"end\" = '9999-12-31' WHERE id = %s",
                [step.pk],
            )
            cursor.execute(
                "UPDATE cooperation_meeting SET starts_at = '0001-01-01T00:00:00+00:09:21' WHERE id = %s",
                [meeting.pk],
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    # Inside the test's transaction: PostgreSQL rolls the schema changes back too.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _mended_then_checked(keys, put_dates_out_of_range)

    step.refresh_from_db()
    meeting.refresh_from_db()
    assert (step.start, step.end) == (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))
    # Noon UTC of 1 January 2000: the first day of the range in Paris too, so the form accepts it back.
    assert meeting.starts_at == datetime.datetime(2000, 1, 1, 12, tzinfo=datetime.UTC)
    CURRENT_ERA.validator(meeting.starts_at)
