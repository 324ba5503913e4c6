"""What the review adds to a deliverable's page: the comment threads of each question and of the whole
deliverable, the decision, the versions and the facilitators' private notes.

The deliverable page puts `review_context(deliverable, rights, user)` in its context under the name `review`,
then includes `projects/review/_question_thread.html` under each question (`with question=question`) and
`projects/review/_panel.html` once. The project page includes `projects/review/_private_notes.html` with
`private_notes=private_notes_panel(project, rights)`, which is None for anyone who may not read them.
"""

import functools
import re
from dataclasses import dataclass, field
from html import escape
from itertools import chain

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from core.dates import ago, long_datetime
from core.i18n import labelled
from core.text import render_user_text
from territories.models import TeamMember, Territory

from .models import Comment, DeliverableStatus, DeliverableVersion, PrivateNote, Project, Stage
from .review_forms import DecisionForm

RETURN_TO_DELIVERABLE = "deliverable"
RETURN_TO_REVIEW = "review"
RETURN_TO_PROJECT = "project"


@dataclass
class Thread:
    root: Comment
    replies: list = field(default_factory=list)
    # Its links, set by `link_threads`: its own page, and the step (resolve or reopen) of its actions.
    url: str = ""
    step_url: str = ""
    # Its rank among the threads of its question (or of the whole note), oldest first: its controls are named
    # by it, as several threads share a page (RGAA 11.9).
    number: int = 1

    @property
    def comments(self) -> list:
        return [self.root, *self.replies]

    @property
    def resolved_label(self) -> str:
        """« Discussion résolue par … (n messages) », the summary of a resolved thread."""
        return _Words().resolved(self)

    @property
    def place_label(self) -> str:
        """Where it is: « Question 3 » or « Ensemble de la note »."""
        return _Words().place(self)

    @property
    def about_label(self) -> str:
        """« sur la question 3 » or « sur l'ensemble du livrable »."""
        return _Words().about(self)

    @property
    def to_label(self) -> str:
        """« à la discussion 2 sur la question 3 », said after « Répondre », « Votre réponse »…"""
        return _Words().to(self)

    @property
    def name_label(self) -> str:
        """« la discussion 2 sur la question 3 », said after « Marquer comme résolue »…"""
        return _Words().name(self)

    @property
    def excerpt(self) -> str:
        return _excerpt(self.root.body)

    @property
    def last_label(self) -> str:
        """« dernier message : name, il y a 3 jours »."""
        return _Words().last(self)

    @property
    def messages_html(self) -> SafeString:
        """Its messages, the first one then the replies (`comment_article`, each already safe)."""
        return self.messages_in(get_language(), timezone.get_current_timezone_name())

    def messages_in(self, language, zone) -> SafeString:
        """`messages_html` in the language and time zone given: a page of threads asks for them once."""
        html = _comment_article(self.root, language, zone)
        if self.replies:
            replies = "".join(f"<li>{_comment_article(reply, language, zone)}</li>" for reply in self.replies)
            html = f'{html}\n<ol class="review-replies">{replies}</ol>'
        return SafeString(html)

    @property
    def reply_key(self) -> str:
        """The key of its reply form (`review["failed"]["key"]` names the form a failed comment came from)."""
        return f"r{self.root.pk}"

    @property
    def messages_url(self) -> str:
        """Its messages alone, as a resolved thread's summary loads them with htmx when opened."""
        return self.url + ("&" if "?" in self.url else "?") + "partie=messages"

    @property
    def reply_url(self) -> str:
        """Its reply form alone, loaded with htmx when « Répondre » is opened."""
        return self.url + ("&" if "?" in self.url else "?") + "partie=reponse"

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
        mentioned = [c.created_at for c in messages if any(p["id"] == user.pk for p in mentioned_of(c))]
        written = [c.created_at for c in messages if c.author_id == user.pk]
        return bool(mentioned) and (not written or max(written) < max(mentioned))


class _Words:
    """The sentences that name threads, translated once for a whole page of threads rather than once per
    thread (hundreds of gettext calls otherwise), in the language active when it is made."""

    def __init__(self):
        self._to = gettext("à la discussion %(n)s %(about)s")
        self._name = gettext("la discussion %(n)s %(about)s")
        self._last = gettext("dernier message : %(name)s, %(when)s")
        self._abouts, self._places, self._resolved, self._agos = {}, {}, {}, {}
        self._now = timezone.now()

    def about(self, thread) -> str:
        question_id = thread.root.question_id
        if question_id not in self._abouts:
            self._abouts[question_id] = (
                gettext("sur l'ensemble du livrable")
                if question_id is None
                else gettext("sur la question %(number)s") % {"number": _question_number(thread.root)}
            )
        return self._abouts[question_id]

    def place(self, thread) -> str:
        question_id = thread.root.question_id
        if question_id not in self._places:
            self._places[question_id] = (
                gettext("Ensemble de la note")
                if question_id is None
                else gettext("Question %(number)s") % {"number": _question_number(thread.root)}
            )
        return self._places[question_id]

    def to(self, thread) -> str:
        return self._to % {"n": thread.number, "about": self.about(thread)}

    def name(self, thread) -> str:
        return self._name % {"n": thread.number, "about": self.about(thread)}

    def resolved(self, thread) -> str:
        count = len(thread.replies) + 1
        if count not in self._resolved:
            self._resolved[count] = ngettext(
                "Discussion résolue par %(name)s (%(n)s message)",
                "Discussion résolue par %(name)s (%(n)s messages)",
                count,
            )
        return self._resolved[count] % {"name": person_name(thread.root, "resolved_by") or "—", "n": count}

    def last(self, thread) -> str:
        last = thread.last
        name = person_name(last, "author") or gettext("Compte supprimé")
        return self._last % {"name": name, "when": self._ago(last.created_at)}

    def _ago(self, since) -> str:
        # `ago` says a number of minutes under a day and of days beyond: the same words for the same key.
        minutes = max(int((self._now - since).total_seconds() // 60), 0)
        key = ("days", minutes // 1440) if minutes >= 1440 else ("minutes", minutes)
        if key not in self._agos:
            self._agos[key] = ago(since, self._now)
        return self._agos[key]


def _question_number(comment) -> int:
    """The number of the comment's question: its `question_number` column when read with it (a page of
    threads spares building a question for each comment), otherwise its relation."""
    number = getattr(comment, "question_number", None)
    return number if number is not None else comment.question.number


@functools.lru_cache(maxsize=8192)
def _excerpt(body) -> str:
    """The first words of a thread, as its summary line shows them; kept per process like `_article`."""
    return Truncator(body).chars(90)


# What a page of threads reads of each comment (its body, people, dates, place), as `CommentRow`s.
_COMMENT_COLUMNS = (
    "id",
    "parent_id",
    "question_id",
    "version_id",
    "author_id",
    "body",
    "created_at",
    "resolved_at",
    "resolved_by_id",
)


class CommentRow:
    """A comment as a page of threads reads it: its columns as attributes (`pk` too), rather than a model
    instance for each of the hundreds a note under review holds. `person_name`, `mentioned_of`,
    `_question_number` and the threads read it as they read a comment."""

    def __init__(self, row: dict, **more):
        self.__dict__.update(row, **more)

    @property
    def pk(self) -> int:
        return self.id


def with_mentions(comments):
    """The comments with the people each one mentions as a column `mention_rows` (their pk and name, in the
    users' order), rather than a prefetch building a manager and users for each comment."""
    people = (
        Comment.mentions.through.objects.filter(comment_id=OuterRef("pk"))
        .order_by("user__full_name", "user__email")
        .values(row=JSONObject(id="user_id", full_name="user__full_name", email="user__email"))
    )
    return comments.annotate(mention_rows=ArraySubquery(people))


def _names_of(*fields) -> dict:
    """The names of the people a comment points at (`author`, `resolved_by`) as columns `<field>_name`: read
    for hundreds of comments, they spare building a user for each."""
    return {
        f"{field}_name": Coalesce(
            NullIf(F(f"{field}__full_name"), Value("")), F(f"{field}__email"), output_field=CharField()
        )
        for field in fields
    }


def person_name(comment, field) -> str | None:
    """The full name of the comment's `field` person (None when there is none): its `<field>_name` column
    when read with `_names_of`, otherwise its relation."""
    name = getattr(comment, f"{field}_name", _UNREAD)
    if name is not _UNREAD:
        return name
    person = getattr(comment, field)
    return person.get_full_name() if person else None


_UNREAD = object()


def mentioned_of(comment) -> list[dict]:
    """The people a comment mentions, {"id", "full_name", "email"} each: its `mention_rows` column when it was
    read with `with_mentions`, otherwise its relation."""
    rows = getattr(comment, "mention_rows", None)
    if rows is None:
        rows = [{"id": u.pk, "full_name": u.full_name, "email": u.email} for u in comment.mentions.all()]
    return rows


def comment_article(comment) -> SafeString:
    """A comment as the pages show it: author, date, version, text, the people it mentions. Built here
    rather than by a template, and kept per process for what it shows (a note under review shows hundreds of
    comments, the same on each view)."""
    return _comment_article(comment, get_language(), timezone.get_current_timezone_name())


def _comment_article(comment, language, zone) -> SafeString:
    author = person_name(comment, "author")
    mentioned = tuple(row["full_name"] or row["email"] for row in mentioned_of(comment))
    return _article(
        comment.pk,
        author,
        comment.created_at,
        getattr(comment, "version_number", None),
        comment.body,
        mentioned,
        language,
        zone,
    )


@functools.lru_cache(maxsize=8192)
def _article(pk, author, created_at, version_number, body, mentioned, language, zone) -> SafeString:
    """The article of `comment_article`: a function of what it shows, in the reader's language and zone."""
    created = timezone.localtime(created_at)
    version = mentions = ""
    if version_number:
        badge = gettext("version %(number)s") % {"number": version_number}
        version = f'\n    <span class="badge">{escape(badge)}</span>'
    if mentioned:
        names = gettext("Mentionne :") + " " + ", ".join(mentioned)
        mentions = f'\n  <p class="comment-mentions muted">{escape(names)}</p>'
    author = author or gettext("Compte supprimé")  # outside the f-string: makemessages reads no f-string
    return SafeString(
        f'<article class="comment" id="commentaire-{int(pk)}">\n  <p class="comment-meta">\n'
        f"    <strong>{escape(author)}</strong>\n"
        f'    <time datetime="{created.strftime("%Y-%m-%dT%H:%M:%S%z")}">'
        f"{escape(long_datetime(created))}</time>{version}\n  </p>\n"
        f'  <div class="user-text">{render_user_text(body)}</div>{mentions}\n</article>'
    )


def threads_html(threads, *, can_comment, return_to, csrf_token, failed_key, failed_reply_form) -> SafeString:
    """The threads as a review block lists them. An open thread shows its messages, a resolved one its summary
    whose messages htmx loads when it is opened (without JavaScript, a link to the thread's page). For those
    who may comment: « Répondre », whose form htmx loads when opened (the thread's page without JavaScript),
    except the one a failed reply came from, open with its text; and the resolve or reopen button.

    Plain f-strings with every value escaped (`escape`) or already safe: hundreds of threads per page."""
    if not threads:
        return SafeString("")
    read, reply_label, reply_page = (
        escape(gettext("Lire la discussion")),
        escape(gettext("Répondre")),
        escape(gettext("Répondre sur la page de la discussion")),
    )
    resolve, reopen = escape(gettext("Marquer comme résolue")), escape(gettext("Rouvrir la discussion"))
    words, language, zone = _Words(), get_language(), timezone.get_current_timezone_name()
    hidden = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        f'<input type="hidden" name="return_to" value="{escape(return_to)}">'
    )
    items = []
    for thread in threads:
        url = escape(thread.url)
        # What the visible words leave out, for screen readers: which discussion, on which question (11.9).
        to_thread = f'<span class="visually-hidden"> {escape(words.to(thread))}</span>'
        the_thread = f'<span class="visually-hidden"> — {escape(words.name(thread))}</span>'
        if thread.is_resolved:
            anchors = "".join(f'<span id="commentaire-{int(c.pk)}"></span>' for c in thread.comments)
            body = (
                f'<details class="thread-resolved" data-hx-get="{escape(thread.messages_url)}" '
                'data-hx-trigger="toggle once" data-hx-target="find .thread-messages" '
                'data-hx-swap="innerHTML">\n'
                f"<summary>{escape(words.resolved(thread))}{the_thread}</summary>\n"
                f'<div class="thread-messages">{anchors}<p><a href="{url}">{read}</a></p></div>\n</details>'
            )
        else:
            body = thread.messages_in(language, zone)
        actions = ""
        if can_comment:
            reply = ""
            if not thread.is_resolved and thread.reply_key == failed_key:
                reply = (
                    f'<details class="reply" open>\n<summary>{reply_label}{to_thread}</summary>\n'
                    f'<div class="reply-form">{failed_reply_form(thread)}</div>\n</details>\n'
                )
            elif not thread.is_resolved:
                reply = (
                    f'<details class="reply" data-hx-get="{escape(thread.reply_url)}" '
                    'data-hx-trigger="toggle once" '
                    'data-hx-target="find .reply-form" data-hx-swap="innerHTML">\n'
                    f"<summary>{reply_label}{to_thread}</summary>\n"
                    f'<div class="reply-form"><p><a href="{url}#repondre">{reply_page}</a></p></div>\n'
                    "</details>\n"
                )
            step = escape(thread.step_url)
            actions = (
                f'\n<div class="thread-actions">\n{reply}<form method="post" action="{step}" '
                f'data-hx-post="{step}" '
                'data-hx-target="closest .review-block" data-hx-swap="outerHTML" class="inline-form">'
                f"{hidden}"
                '<button type="submit" class="button button-small button-secondary">'
                f"{reopen if thread.is_resolved else resolve}{the_thread}</button></form>\n</div>"
            )
        resolved = " is-resolved" if thread.is_resolved else ""
        items.append(f'<li class="review-thread{resolved}">\n{body}{actions}\n</li>\n')
    return SafeString(f'<ol class="review-threads">\n{"".join(items)}</ol>')


def open_threads_html(open_threads) -> SafeString:
    """The summary's list of open threads (`note_summary`): where each is, its first words and its last
    message, marked when it waits for the reader. Built here for the same reason as `threads_html`."""
    waiting = escape(gettext("attend votre réponse"))
    words, quoted = _Words(), gettext("« %(title)s »")
    items = []
    for thread, waits in open_threads:
        marked = " open-thread-waiting" if waits else ""
        badge = f' <span class="badge badge-waiting">{waiting}</span>' if waits else ""
        link = labelled(words.place(thread), quoted % {"title": thread.excerpt})
        items.append(
            f'<li class="open-thread{marked}">\n'
            f'  <a href="#commentaire-{int(thread.root.pk)}">{escape(link)}</a>\n'
            f'  <span class="muted">— {escape(words.last(thread))}</span>{badge}\n</li>\n'
        )
    return SafeString("".join(items))


def mentionable_people(project) -> list:
    """Those who can read the project, hence may be mentioned: the territory's team and facilitators and
    the project's facilitators (admins read every project but are not part of its conversation).

    Read as a union of the three links, each through its index, rather than an OR over joins with DISTINCT
    (which scanned the users of the whole platform)."""
    people = (
        TeamMember.objects.filter(territory_id=project.territory_id)
        .values("user_id")
        .union(
            Territory.facilitators.through.objects.filter(territory_id=project.territory_id).values(
                "user_id"
            ),
            Project.facilitators.through.objects.filter(project_id=project.pk).values("user_id"),
        )
    )
    return list(get_user_model().objects.filter(is_active=True, pk__in=people).order_by("full_name", "email"))


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
        place = general if root.question_id is None else by_question.setdefault(root.question_id, [])
        thread.number = len(place) + 1
        place.append(thread)
    return by_question, general


def _comment_url(name, deliverable):
    """A function of a comment's pk giving the URL of `name` for it: reversed once for a whole page of
    threads rather than once per thread."""
    head, _zero, tail = reverse(name, args=[deliverable.project_id, deliverable.kind, 0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def link_threads(threads, deliverable, *, return_to=RETURN_TO_DELIVERABLE) -> None:
    """Set each thread's links: its own page (keeping the page it is read from), and its resolve or reopen
    step."""
    page = _comment_url("projects:comment_thread", deliverable)
    resolve = _comment_url("projects:comment_resolve", deliverable)
    reopen = _comment_url("projects:comment_reopen", deliverable)
    query = "" if return_to == RETURN_TO_DELIVERABLE else f"?return_to={return_to}"
    for thread in threads:
        pk = thread.root.pk
        thread.url = page(pk) + query
        thread.step_url = reopen(pk) if thread.is_resolved else resolve(pk)


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
    comments = [
        CommentRow(row, version_number=numbers.get(row["version_id"]))
        for row in with_mentions(Comment.objects.filter(deliverable=deliverable))
        .annotate(**_names_of("author", "resolved_by"), question_number=F("question__number"))
        .order_by("created_at", "id")
        .values(*_COMMENT_COLUMNS, "mention_rows", "author_name", "resolved_by_name", "question_number")
    ]
    by_question, general = build_threads(comments)
    link_threads([*general, *chain.from_iterable(by_question.values())], deliverable, return_to=return_to)
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


def thread_context(deliverable, rights, user, root_pk, *, return_to=RETURN_TO_DELIVERABLE) -> dict | None:
    """One thread of the deliverable, named by its first comment, and what its page shows; None when there is
    no such thread."""
    comments = list(
        with_mentions(Comment.objects.filter(deliverable=deliverable))
        .filter(Q(pk=root_pk, parent__isnull=True) | Q(parent_id=root_pk))
        .select_related("author", "resolved_by", "question", "version")
        .order_by("created_at", "id")
    )
    root = next((c for c in comments if c.pk == root_pk), None)
    if root is None:
        return None
    thread = Thread(root=root, replies=[c for c in comments if c.parent_id == root_pk])
    # Its rank among the threads of its question, as the deliverable's page numbers them (build_threads).
    thread.number = 1 + (
        Comment.objects.filter(deliverable=deliverable, parent__isnull=True, question_id=root.question_id)
        .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk))
        .count()
    )
    for comment in thread.comments:
        comment.version_number = comment.version.number if comment.version else None
    link_threads([thread], deliverable, return_to=return_to)
    return {
        "deliverable": deliverable,
        "project": deliverable.project,
        "thread": thread,
        "question": root.question,
        "can_comment": rights.can_comment,
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
            _question_number(thread.root) if thread.root.question_id else 0,
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
