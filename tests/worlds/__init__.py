"""Each app adds to the test world (tests/conftest.py `world`) the objects its URLs point at, in its own
module here, so the apps' builders stay apart."""

# Each builder takes the world (a SimpleNamespace holding users, territory, other_territory…) and sets the
# attributes its app's access rules read. Append yours; order matters only if one builder reads another's.
from . import cooperation, documents, library, notifications, projects, trainings

WORLD_BUILDERS = (
    projects.build,
    notifications.build,
    trainings.build,
    cooperation.build,
    library.build,
    documents.build,
)
