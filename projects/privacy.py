"""What the projects app holds about a person, for their export and the deletion of their account
(accounts.privacy)."""

from accounts.privacy import register, register_erasure

from .models import AnswerRevision, Comment, PrivateNote, Project


@register
def export(user):
    roles = {}
    for role, projects in (
        ("lead", Project.objects.filter(lead=user)),
        ("member", Project.objects.filter(members=user)),
        ("facilitator", Project.objects.filter(facilitators=user)),
    ):
        for pk, title, territory in projects.values_list("pk", "title", "territory__name"):
            roles.setdefault(pk, {"title": title, "territory": territory, "roles": []})["roles"].append(role)
    return {
        "projects": [roles[pk] for pk in sorted(roles)],
        "answer_revisions": [
            {
                "project": project,
                "deliverable": kind,
                "question": number,
                "date": saved_at,
                "text": text,
                "applied": not is_conflict,
            }
            for project, kind, number, saved_at, text, is_conflict in AnswerRevision.objects.filter(
                saved_by=user
            )
            .order_by("saved_at", "pk")
            .values_list(
                "answer__deliverable__project__title",
                "answer__deliverable__kind",
                "answer__question__number",
                "saved_at",
                "text",
                "is_conflict",
            )
        ],
        "project_comments": [
            {"project": project, "deliverable": kind, "question": number, "date": created_at, "body": body}
            for project, kind, number, created_at, body in Comment.objects.filter(author=user)
            .order_by("created_at", "pk")
            .values_list(
                "deliverable__project__title", "deliverable__kind", "question__number", "created_at", "body"
            )
        ],
        # The notes this facilitator wrote; their colleagues' notes on the same projects are theirs.
        "private_notes": [
            {"project": project, "deliverable": kind, "date": created_at, "body": body}
            for project, kind, created_at, body in PrivateNote.objects.filter(author=user)
            .order_by("created_at", "pk")
            .values_list("project__title", "deliverable__kind", "created_at", "body")
        ],
    }


@register_erasure
def erase(user):
    """The person leaves every project team and stops facilitating; what they wrote stays.

    A project they lead keeps them as its lead: the project then reads "Porteur·se : Compte supprimé", which
    tells the team to choose a new one (the edit form only offers active team members), whereas an empty
    lead would hide that the project had one. The anonymised account can neither log in nor be notified."""
    user.projects.clear()
    user.facilitated_projects.clear()
