"""What the review adds to a deliverable's page: the comment threads of each question and of the whole
deliverable, the decision, the versions and the facilitators' private notes.

The deliverable page puts `review_context(deliverable, rights, user)` in its context under the name `review`,
then includes `projects/review/_question_thread.html` under each question (`with question=question`) and
`projects/review/_panel.html` once. The project page includes `projects/review/_private_notes.html` with
`private_notes=private_notes_panel(project, rights)`, which is None for anyone who may not read them.
"""

import re
from dataclasses import dataclass, field
from itertools import chain

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Comment, DeliverableStatus, DeliverableVersion, PrivateNote, Stage
from .review_forms import DecisionForm

RETURN_TO_DELIVERABLE = "deliverable"
RETURN_TO_REVIEW = "review"
RETURN_TO_PROJECT = "project"


@dataclass
class Thread:
    root: Comment
    replies: list = field(default_factory=list)

    @property
    def is_resolved(self) -> bool:
        return self.root.resolved_at is not None

    @property
    def last(self) -> Comment:
        return self.replies[-1] if self.replies else self.root

    def waits_for(self, user, *, team_ids=frozenset(), on_team=False) -> bool:
        """Whether the open thread waits for this person's answer; the rule of the « À faire »
        (`selectors._thread_awaits`), on the comments already read: on their project's note, the last word is
        not the team's; or they were mentioned and have not written in the thread since."""
        if self.is_resolved:
            return False
        last_author = self.last.author_id
        if on_team and last_author is not None and last_author not in team_ids:
            return True
        messages = [self.root, *self.replies]
        mentioned = [c.created_at for c in messages if any(p.pk == user.pk for p in c.mentions.all())]
        written = [c.created_at for c in messages if c.author_id == user.pk]
        return bool(mentioned) and (not written or max(written) < max(mentioned))


def mentionable_people(project) -> list:
    """Those who can read the project, hence may be mentioned: the territory's team and facilitators and
    the project's facilitators (admins read every project but are not part of its conversation)."""
    territory_id = project.territory_id
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(territory_roles__territory_id=territory_id)
            | Q(facilitated_territories__id=territory_id)
            | Q(facilitated_projects__id=project.pk)
        )
        .distinct()
        .order_by("full_name", "email")
    )


# A mention starts with "@" followed by a letter, not inside a word (an e-mail address is no mention).
_MENTION = re.compile(r"(?<![\w@])@(?=[^\W\d_])")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def parse_mentions(text: str, people) -> tuple[list, list[str]]:
    """The people mentioned as "@Full Name" in `text`, and the "@words" that name nobody among `people`."""
    candidates = sorted(people, key=lambda person: -len(person.get_full_name()))
    mentioned, unknown = {}, []
    for match in _MENTION.finditer(text):
        start = match.end()
        for person in candidates:
            name = person.get_full_name()
            typed = text[start : start + len(name)]
            after = text[start + len(name) : start + len(name) + 1]
            if typed.casefold() == name.casefold() and not (after.isalnum() or after == "_"):
                mentioned.setdefault(person.pk, person)
                break
        else:
            word = _WORD.match(text, start)
            unknown.append("@" + (word.group(0) if word else ""))
    return list(mentioned.values()), unknown


def build_threads(comments) -> tuple[dict, list]:
    """Threads by question id, and those on the whole deliverable, oldest first; replies under their root."""
    roots, replies = [], {}
    for comment in comments:
        if comment.parent_id is None:
            roots.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    by_question, general = {}, []
    for root in roots:
        thread = Thread(root=root, replies=replies.get(root.pk, []))
        if root.question_id is None:
            general.append(thread)
        else:
            by_question.setdefault(root.question_id, []).append(thread)
    return by_question, general


def private_notes_panel(project, rights, *, deliverable=None, return_to=RETURN_TO_PROJECT):
    """The project's private notes and what their form needs; None for anyone who may not read them."""
    if not rights.can_read_private_notes:
        return None
    notes = list(
        PrivateNote.objects.filter(project=project)
        .select_related("author", "deliverable")
        .order_by("-created_at", "-id")
    )
    return {
        "project": project,
        "notes": notes,
        "deliverable": deliverable,
        "return_to": return_to,
        # Under the deliverable page's "Relecture" heading, or a section of its own on the project page.
        "heading_level": 2 if return_to == RETURN_TO_PROJECT else 3,
        "failed": None,
    }


def review_context(deliverable, rights, user, *, return_to=RETURN_TO_DELIVERABLE) -> dict:
    """Everything the review templates show on a deliverable's page, in a fixed number of queries whatever
    the number of comments, replies, mentions or versions."""
    project = deliverable.project
    versions = list(
        DeliverableVersion.objects.filter(deliverable=deliverable)
        .defer("content")
        .select_related("submitted_by", "decided_by")
        .order_by("-number")
    )
    numbers = {version.pk: version.number for version in versions}
    comments = list(
        Comment.objects.filter(deliverable=deliverable)
        .select_related("author", "resolved_by", "question")
        .prefetch_related("mentions")
        .order_by("created_at", "id")
    )
    for comment in comments:
        comment.version_number = numbers.get(comment.version_id)
    by_question, general = build_threads(comments)
    latest = versions[0] if versions else None
    can_decide = rights.can_review and deliverable.status == DeliverableStatus.SUBMITTED
    last_decision = next((v for v in versions if v.decision), None)
    return {
        "deliverable": deliverable,
        "project": project,
        "user": user,
        "can_comment": rights.can_comment,
        "can_review": rights.can_review,
        "can_decide": can_decide,
        "can_reopen": rights.can_review and deliverable.status == DeliverableStatus.VALIDATED,
        "threads": by_question,
        "general_threads": general,
        "open_count": sum(not t.is_resolved for t in [*general, *chain.from_iterable(by_question.values())]),
        "versions": versions,
        "latest_version": latest,
        "last_decision": last_decision,
        "summary": note_summary(
            deliverable, rights, user, last_decision, [*general, *chain.from_iterable(by_question.values())]
        ),
        "decision_form": DecisionForm(initial={"version": latest.number}) if can_decide else None,
        "mentionable": mentionable_people(project) if rights.can_comment else [],
        "private_notes": private_notes_panel(project, rights, deliverable=deliverable, return_to=return_to),
        "return_to": return_to,
        "failed": None,
    }


def note_summary(deliverable, rights, user, last_decision, threads) -> dict:
    """What the top of the note says first: the reviewer's decision when the note is « À reprendre » (its
    message, the reviewer, the date) or the reason it was reopened, and its open threads, each marked when it
    waits for this person (the same rule as their « À faire »)."""
    project = deliverable.project
    on_team = rights.is_member and project.stage != Stage.ABANDONED
    team_ids = set()
    if on_team:
        team_ids = set(project.members.values_list("pk", flat=True)) | {project.lead_id}
    open_threads = sorted(
        (thread for thread in threads if not thread.is_resolved),
        key=lambda thread: (
            thread.root.question.number if thread.root.question else 0,
            thread.root.created_at,
        ),
    )
    waiting = {
        thread.root.pk
        for thread in open_threads
        if project.stage != Stage.ABANDONED and thread.waits_for(user, team_ids=team_ids, on_team=on_team)
    }
    changes = (
        last_decision
        if deliverable.status == DeliverableStatus.CHANGES_REQUESTED
        and last_decision is not None
        and last_decision.decision == DeliverableVersion.Decision.CHANGES_REQUESTED
        else None
    )
    reopened = deliverable.status == DeliverableStatus.DRAFT and bool(deliverable.reopen_reason)
    return {
        "changes": changes,
        "reopened": reopened,
        "open_threads": [(thread, thread.root.pk in waiting) for thread in open_threads],
        "waiting_count": len(waiting),
        "is_shown": bool(changes or reopened or open_threads),
    }
