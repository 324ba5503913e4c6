"""Each app adds to the test world (tests/conftest.py `world`) the objects its URLs point at, in its own
module here, so the apps' builders stay apart."""

# Each builder takes the world (a SimpleNamespace holding users, territory, other_territory…) and sets the
# attributes its app's access rules read. Append yours; order matters only if one builder reads another's.
from . import (
    calendars,
    cooperation,
    documents,
    library,
    methods_actantial,
    methods_actors,
    methods_evaluation,
    methods_journal,
    notifications,
    projects,
    questions,
    reports,
    trainings,
)

WORLD_BUILDERS = (
    projects.build,
    notifications.build,
    trainings.build,
    cooperation.build,
    library.build,
    documents.build,
    methods_actors.build,
    methods_actantial.build,
    methods_journal.build,
    methods_evaluation.build,
    calendars.build,
    reports.build,
    questions.build,
)


# The rows that data migrations write: a transactional test ends with a flush, and serialized rollback must
# put them back (tests/conftest.py checks they are there at the start of every transactional test).
SEEDED = ("core.Theme", "projects.QuestionSet", "cooperation.GroupKind", "methods.ValueDimension")
