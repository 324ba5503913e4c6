"""Read-only summaries of the method's tools for the pages of other apps."""

from django.db import connection

from .models import EvaluationStatus, JournalVisibility

# Each tool's rows of the project (%(project)s); the journal's entries shared beyond the team, or all of them.
_TOOLS_SQL = """
SELECT
    (SELECT COUNT(*) FROM methods_actor WHERE project_id = %(project)s) AS actors,
    (SELECT COUNT(*) FROM methods_actor WHERE project_id = %(project)s AND is_selected) AS selected_actors,
    (SELECT COUNT(*) FROM methods_influence WHERE project_id = %(project)s) AS influences,
    (SELECT COUNT(*) FROM methods_action WHERE project_id = %(project)s) AS actions,
    (SELECT COUNT(*) FROM methods_actantentry e JOIN methods_actantialschema s ON e.schema_id = s.id
        WHERE s.project_id = %(project)s) AS actant_entries,
    (SELECT COUNT(*) FROM methods_journalentry WHERE project_id = %(project)s
        AND (%(team)s OR visibility = %(shared)s)) AS journal_entries,
    (SELECT COUNT(*) FROM methods_evaluationsession WHERE project_id = %(project)s) AS evaluations,
    (SELECT COUNT(*) FROM methods_evaluationsession WHERE project_id = %(project)s AND status = %(closed)s)
        AS closed_evaluations
"""


def project_page_context(project, rights) -> dict:
    """What the project's page shows of the method's tools (registered in MethodsConfig.ready)."""
    return {
        "tools": project_tools_summary(
            project, with_team_entries=rights.territory.member is not None or rights.is_member
        )
    }


def project_tools_summary(project, *, with_team_entries: bool) -> dict:
    """How far the team went with each tool, in one statement: counts for the project page's cards.

    Written in SQL: composing eight correlated subqueries cost the ORM several times what PostgreSQL spends
    answering them, on a page everyone opens."""
    params = {
        "project": project.pk,
        "team": with_team_entries,
        "shared": JournalVisibility.SHARED.value,
        "closed": EvaluationStatus.CLOSED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_TOOLS_SQL, params)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))
