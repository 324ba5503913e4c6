"""What the review adds to a deliverable's page: the comment threads of each question and of the whole
deliverable, the decision, the versions and the facilitators' private notes.

The deliverable page puts `review_context(deliverable, rights, user)` in its context under the name `review`,
then includes `projects/review/_question_thread.html` under each question (`with question=question`) and
`projects/review/_panel.html` once. The project page includes `projects/review/_private_notes.html` with
`private_notes=private_notes_panel(project, rights)`, which is None for anyone who may not read them.
"""

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext

from core.dates import ago, long_datetime
from core.i18n import labelled
from core.text import render_user_text
from territories.models import TeamMember, Territory

from .models import (
    Comment,
    DeliverableKind,
    DeliverableStatus,
    DeliverableVersion,
    PrivateNote,
    Project,
    Stage,
)
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
    # What a page of threads reads of every thread without reading its replies (`_thread_rows`): their pks
    # (its anchors and its count), its last message's author and date, whether it waits for the reader. None
    # where the replies themselves were read (the thread's page).
    reply_ids: list | None = None
    last_name: str | None = None
    last_at: object = None
    waits: bool = False
    # Whether the page shows its messages (an open thread beyond its block's pages does not), and the link to
    # its first comment from the summary: its anchor, through the page that shows it when this one does not.
    shown: bool = True
    link: str = ""

    @property
    def comments(self) -> list:
        return [self.root, *self.replies]

    @property
    def comment_ids(self) -> list[int]:
        """Its comments' pks, the first one's then its replies': the anchors the links to them land on."""
        replies = self.reply_ids if self.reply_ids is not None else [c.pk for c in self.replies]
        return [self.root.pk, *replies]

    @property
    def count(self) -> int:
        """Its number of messages."""
        return 1 + (len(self.reply_ids) if self.reply_ids is not None else len(self.replies))

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
        count = thread.count
        if count not in self._resolved:
            self._resolved[count] = ngettext(
                "Discussion résolue par %(name)s (%(n)s message)",
                "Discussion résolue par %(name)s (%(n)s messages)",
                count,
            )
        return self._resolved[count] % {"name": person_name(thread.root, "resolved_by") or "—", "n": count}

    def last(self, thread) -> str:
        if thread.reply_ids is None:
            name, at = person_name(thread.last, "author"), thread.last.created_at
        else:
            name, at = thread.last_name, thread.last_at
        return self._last % {"name": name or gettext("Compte supprimé"), "when": self._ago(at)}

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


def person_name(comment, field) -> str | None:
    """The full name of the comment's `field` person (None when there is none): its `<field>_name` column
    when read so (`_thread_rows`), otherwise its relation."""
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


def threads_html(
    threads, *, can_comment, return_to, csrf_token, failed_key, failed_reply_form, more=None, wrap=True
) -> SafeString:
    """The threads as a review block lists them. An open thread shows its messages, a resolved one its summary
    whose messages htmx loads when it is opened (without JavaScript, a link to the thread's page). For those
    who may comment: « Répondre », whose form htmx loads when opened (the thread's page without JavaScript),
    except the one a failed reply came from, open with its text; and the resolve or reopen button. `more`
    (a `More`) is the « voir plus » item, placed after the open threads; `wrap=False` gives the items alone,
    as htmx puts a further page of open threads in place of that item.

    Plain f-strings with every value escaped (`escape`) or already safe: hundreds of threads per page."""
    if not threads and more is None:
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
    items, placed = [], more is None
    for thread in threads:
        if thread.is_resolved and not placed:
            items.append(more.html())
            placed = True
        url = escape(thread.url)
        # What the visible words leave out, for screen readers: which discussion, on which question (11.9).
        to_thread = f'<span class="visually-hidden"> {escape(words.to(thread))}</span>'
        the_thread = f'<span class="visually-hidden"> — {escape(words.name(thread))}</span>'
        if thread.is_resolved:
            anchors = "".join(f'<span id="commentaire-{int(pk)}"></span>' for pk in thread.comment_ids)
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
        # The first thread a « voir plus » brought takes the focus (review.js), where the link was.
        focus = ' tabindex="-1" data-focus-on-load' if not items and not wrap else ""
        items.append(f'<li class="review-thread{resolved}"{focus}>\n{body}{actions}\n</li>\n')
    if not placed:
        items.append(more.html())
    if not wrap:
        return SafeString("".join(items))
    return SafeString(f'<ol class="review-threads">\n{"".join(items)}</ol>')


def comment_form_html(
    *,
    action,
    csrf_token,
    return_to,
    key,
    label,
    button,
    label_more="",
    button_more="",
    question_id=None,
    parent_id=None,
    failed=None,
    plain=False,
) -> SafeString:
    """A comment form (on a question, on the whole note, or a reply to the thread `parent_id`): its field
    named by `key`, with the text and errors of `failed` when the comment sent from it was refused. With
    htmx unless `plain`, the block it sits in coming back in its place. Built here rather than by a template:
    a note's page holds one per question.

    Plain f-strings with every value escaped (`escape`, `conditional_escape`)."""
    failed = failed if failed and failed.get("key") == key else None
    field = escape(f"comment-{key}")
    action = escape(action)
    hx = (
        ""
        if plain
        else f' data-hx-post="{action}" data-hx-target="closest .review-block" data-hx-swap="outerHTML"'
    )
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{int(value)}">'
        for name, value in (("question", question_id), ("parent", parent_id))
        if value
    )
    # The words may come from a template, already escaped (`{% translate … as label %}`).
    label, button = conditional_escape(label), conditional_escape(button)
    more = f'<span class="visually-hidden"> {conditional_escape(label_more)}</span>' if label_more else ""
    button_more = (
        f'<span class="visually-hidden"> {conditional_escape(button_more)}</span>' if button_more else ""
    )
    described, invalid, body, errors = f"{field}-help", "", "", ""
    if failed:
        described += f" {field}-errors"
        invalid, body = ' aria-invalid="true"', escape(failed.get("body", ""))
        items = "".join(f"<li>{escape(error)}</li>" for error in failed.get("errors", ()))
        errors = f'\n    <ul class="errorlist" id="{field}-errors" role="alert">{items}</ul>'
    return SafeString(
        f'<form method="post" action="{action}"{hx} class="comment-form" novalidate{_form_messages()}>\n'
        f'  <input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
        f'  <input type="hidden" name="return_to" value="{escape(return_to)}">\n'
        f"  {hidden}\n  <div>\n"
        f'    <label for="{field}">{label}{more}</label>\n'
        f'    <textarea id="{field}" name="body" rows="3" aria-describedby="{described}"{invalid}>'
        f"{body}</textarea>{errors}\n"
        f'    <span class="helptext" id="{field}-help">{_mention_help()}</span>\n  </div>\n'
        '  <p class="form-status" role="status"></p>\n'
        f'  <button type="submit" class="button button-small">{button}{button_more}</button>\n'
        "</form>\n"
    )


def _mention_help() -> str:
    return escape(gettext("Pour mentionner quelqu'un, écrivez @ suivi de son nom complet."))


def _form_messages() -> str:
    """What review.js says on the form while it is sent or when it fails (as _form_messages.html)."""
    messages = (
        ("sending", gettext("Envoi…")),
        (
            "offline",
            gettext(
                "Hors ligne : rien n’est envoyé, votre texte reste ici. Réessayez quand la connexion revient."
            ),
        ),
        (
            "expired",
            gettext(
                "Votre session a expiré ou vos droits ont changé : rien n’est envoyé, votre texte reste ici. "
                "Reconnectez-vous dans un autre onglet puis réessayez."
            ),
        ),
        ("failed", gettext("L’envoi a échoué : votre texte reste ici. Réessayez dans un instant.")),
    )
    return "".join(f' data-msg-{name}="{escape(text)}"' for name, text in messages)


@dataclass
class More:
    """The « voir plus » of a list of open threads (a block's or the summary's): the page asked again with one
    more page of them (`Paging`), landing on the first of them; with htmx, that page alone in its place."""

    url: str
    anchor: str
    count: int
    left: int
    about: str = ""

    def html(self) -> str:
        label = ngettext(
            "Voir %(n)s discussion ouverte de plus", "Voir %(n)s discussions ouvertes de plus", self.count
        ) % {"n": self.count}
        left = ngettext("(%(n)s restante)", "(%(n)s restantes)", self.left) % {"n": self.left}
        about = f'<span class="visually-hidden"> {escape(self.about)}</span>' if self.about else ""
        url = escape(self.url)
        return (
            f'<li class="threads-more"><a href="{url}#{escape(self.anchor)}" data-hx-get="{url}" '
            'data-hx-target="closest li" data-hx-swap="outerHTML">'
            f'{escape(label)}{about}</a> <span class="muted">{escape(left)}</span></li>\n'
        )


def open_threads_html(open_threads, more=None, *, wrap=True) -> SafeString:
    """The summary's list of open threads (`note_summary`): where each is, its first words and its last
    message, marked when it waits for the reader; a link to its first comment, through the page that shows
    it when this one does not (`Thread.link`). Built here for the same reason as `threads_html`."""
    waiting = escape(gettext("attend votre réponse"))
    words, quoted = _Words(), gettext("« %(title)s »")
    items = []
    for thread, waits in open_threads:
        marked = " open-thread-waiting" if waits else ""
        badge = f' <span class="badge badge-waiting">{waiting}</span>' if waits else ""
        link = labelled(words.place(thread), quoted % {"title": thread.excerpt})
        focus = ' tabindex="-1" data-focus-on-load' if not items and not wrap else ""
        items.append(
            f'<li class="open-thread{marked}"{focus}>\n'
            f'  <a href="{escape(thread.link)}">{escape(link)}</a>\n'
            f'  <span class="muted">— {escape(words.last(thread))}</span>{badge}\n</li>\n'
        )
    if more is not None:
        items.append(more.html())
    return SafeString("".join(items))


def _mentionable_sql() -> str:
    user = get_user_model()._meta.db_table
    team = TeamMember._meta.db_table
    followers = Territory.facilitators.through._meta.db_table
    assigned = Project.facilitators.through._meta.db_table
    return (
        f"SELECT u.* FROM {user} u WHERE u.is_active AND u.id IN ("  # noqa: S608 - the models' tables
        f"SELECT user_id FROM {team} WHERE territory_id = %s"
        f" UNION SELECT user_id FROM {followers} WHERE territory_id = %s"
        f" UNION SELECT user_id FROM {assigned} WHERE project_id = %s"
        ") ORDER BY u.full_name, u.email"
    )


_MENTIONABLE_SQL = _mentionable_sql()


def mentionable_people(project) -> list:
    """Those who can read the project, hence may be mentioned: the territory's team and facilitators and
    the project's facilitators (admins read every project but are not part of its conversation).

    Read as a union of the three links, each through its index, rather than an OR over joins with DISTINCT
    (which scanned the users of the whole platform); written once as SQL, as composing the union with the
    ORM cost every note's page more than the database takes to answer."""
    params = [project.territory_id, project.territory_id, project.pk]
    return list(get_user_model().objects.raw(_MENTIONABLE_SQL, params))


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


def _private_notes_sql() -> str:
    table = PrivateNote._meta.db_table
    columns = ", ".join(f"n.{field.column}" for field in PrivateNote._meta.concrete_fields)
    deliverable = PrivateNote._meta.get_field("deliverable").related_model._meta.db_table
    return (
        f"SELECT {columns}, {_name_sql('a')} AS author_name, d.kind AS deliverable_kind"  # noqa: S608
        f" FROM {table} n LEFT JOIN {_USER} a ON a.id = n.author_id"
        f" LEFT JOIN {deliverable} d ON d.id = n.deliverable_id"
        " WHERE n.project_id = %s ORDER BY n.created_at DESC, n.id DESC"
    )


def private_notes_panel(project, rights, *, deliverable=None, return_to=RETURN_TO_PROJECT):
    """The project's private notes and what their form needs; None for anyone who may not read them. Each
    note with its author's name (`author_name`) and its deliverable's (`deliverable_label`), read by one SQL
    statement written once (composed with the ORM, it cost each reviewer's page more than it takes to run)."""
    if not rights.can_read_private_notes:
        return None
    notes = list(PrivateNote.objects.raw(_PRIVATE_NOTES_SQL, [project.pk]))
    kinds = dict(DeliverableKind.choices)
    for note in notes:
        note.deliverable_label = kinds.get(note.deliverable_kind, "")
    return {
        "project": project,
        "notes": notes,
        "deliverable": deliverable,
        "return_to": return_to,
        # Under the deliverable page's "Relecture" heading, or a section of its own on the project page.
        "heading_level": 2 if return_to == RETURN_TO_PROJECT else 3,
        "failed": None,
    }


# A page of threads shows the first open threads of each block (a question's, the whole note's) and of the
# summary; « voir plus » asks for the next ones. Resolved threads are one line each, their messages loaded
# when opened.
THREADS_PER_PAGE = 10
SUMMARY_PER_PAGE = 10
GENERAL = "general"
SUMMARY = "resume"
_MAX_PK = 2**63 - 1


def _number(text, *, high=_MAX_PK) -> int | None:
    return int(text) if text and text.isdigit() and 0 < int(text) <= high else None


@dataclass(frozen=True)
class Paging:
    """What a page of threads is asked for beyond the first open threads of each block, from its query
    string: `fils` names a block (« q<question pk> », « general ») or the summary (« resume ») and `pages`
    how many pages of it the page shows (with htmx: that page alone); `discussion` names a thread (by its
    first comment) whose block the page shows down to it, as every link to a comment carries it."""

    block: str | None = None
    pages: int = 1
    discussion: int | None = None

    @classmethod
    def of(cls, query) -> "Paging":
        block = query.get("fils") or None
        if block not in (GENERAL, SUMMARY) and not (
            block and block[0] == "q" and _number(block[1:]) is not None
        ):
            block = None
        pages = _number(query.get("pages"), high=10_000) or 1
        return cls(block, pages if block else 1, _number(query.get("discussion")))

    @property
    def block_key(self) -> int | None:
        """The block as the SQL keys it (`_thread_rows`): its question's pk, 0 for the whole note."""
        if self.block == GENERAL:
            return 0
        if self.block and self.block != SUMMARY:
            return int(self.block[1:])
        return None


def block_name(question_id) -> str:
    """A block's name in `Paging.block`."""
    return GENERAL if question_id is None else f"q{question_id}"


def with_discussion(url: str, comment) -> str:
    """A link to a comment: the page with the thread shown (`Paging.discussion`), on the comment's anchor."""
    return f"{url}?discussion={comment.parent_id or comment.pk}#commentaire-{comment.pk}"


def _name_sql(alias) -> str:
    """A person's name as the pages show it (full name, else e-mail), of the user row `alias`."""
    return f"COALESCE(NULLIF({alias}.full_name, ''), {alias}.email)"


def _person_sql(column) -> str:
    """The name of the person whose pk is `column`, as a scalar subquery."""
    return f"(SELECT {_name_sql('p')} FROM {_USER} p WHERE p.id = {column})"  # noqa: S608 - no input


def _mentions_sql(column) -> str:
    """The people the comment `column` mentions, {"id", "full_name", "email"} each in the users' order."""
    return (
        "ARRAY(SELECT jsonb_build_object('id', u.id, 'full_name', u.full_name, 'email', u.email)"  # noqa: S608
        f" FROM {_MENTIONS} m JOIN {_USER} u ON u.id = m.user_id WHERE m.comment_id = {column}"
        " ORDER BY u.full_name, u.email)"
    )


_COMMENT = Comment._meta.db_table
_MENTIONS = Comment.mentions.through._meta.db_table
_USER = get_user_model()._meta.db_table
_QUESTION = Comment._meta.get_field("question").related_model._meta.db_table
_MEMBERS = Project.members.through._meta.db_table
_IN_THREAD = "(t.id = s.id OR t.parent_id = s.id)"

# The threads of a deliverable, one row per first comment, oldest first (see `_thread_rows`). Written once
# as SQL rather than composed with the ORM on each request: composing its windows and subqueries cost the
# page more than the database takes to answer. `roots` numbers each block's threads and its open ones
# (`open_rank`), all of them or those of one block (`only_block`, whose open ones alone are read);
# `target` is the open thread a link names (`Paging.discussion`); a root's row shows its
# messages when its open rank falls in the page asked for: the first THREADS_PER_PAGE of its block, more
# for the block `Paging.block` names (`block_limit`) or down to the target's page in the target's block.
# `l` is the last message of an open thread: its author, whether on the project's team, its date.
_THREAD_ROWS_SQL = f"""
WITH roots AS (
    SELECT c.id, c.question_id, c.version_id, c.author_id, c.body, c.created_at, c.resolved_at,
        c.resolved_by_id,
        row_number() OVER (PARTITION BY c.question_id ORDER BY c.created_at, c.id) AS number,
        CASE WHEN c.resolved_at IS NULL THEN row_number() OVER (
            PARTITION BY c.question_id, c.resolved_at IS NULL ORDER BY c.created_at, c.id) END AS open_rank
    FROM {_COMMENT} c
    WHERE c.deliverable_id = %(deliverable)s AND c.parent_id IS NULL
        AND (%(only_block)s::bigint IS NULL OR COALESCE(c.question_id, 0) = %(only_block)s::bigint)
), target AS (
    SELECT question_id, open_rank FROM roots WHERE id = %(target)s::bigint AND open_rank IS NOT NULL
), shown AS (
    SELECT r.*, COALESCE(r.open_rank > %(start)s AND r.open_rank <= GREATEST(
        %(end)s,
        CASE WHEN COALESCE(r.question_id, 0) = %(block)s::bigint THEN %(block_limit)s ELSE 0 END,
        CASE WHEN r.question_id IS NOT DISTINCT FROM t.question_id
            THEN (t.open_rank + {THREADS_PER_PAGE - 1}) / {THREADS_PER_PAGE} * {THREADS_PER_PAGE} ELSE 0 END
    ), false) AS shown
    FROM roots r LEFT JOIN target t ON true
)
SELECT s.id, s.question_id, s.version_id, s.author_id, s.body, s.created_at, s.resolved_at, s.resolved_by_id,
    s.number, s.shown, q.number AS question_number,
    ARRAY(SELECT r.id FROM {_COMMENT} r WHERE r.parent_id = s.id ORDER BY r.created_at, r.id) AS reply_ids,
    CASE WHEN s.resolved_at IS NOT NULL THEN {_person_sql("s.resolved_by_id")} END AS resolved_by_name,
    l.author_id AS last_author, l.created_at AS last_at, l.name AS last_name, l.team AS last_by_team,
    CASE WHEN s.resolved_at IS NULL THEN (
        SELECT max(t.created_at) FROM {_COMMENT} t JOIN {_MENTIONS} m ON m.comment_id = t.id
        WHERE {_IN_THREAD} AND m.user_id = %(user)s
    ) END AS last_mention_at,
    CASE WHEN s.resolved_at IS NULL THEN (
        SELECT max(t.created_at) FROM {_COMMENT} t WHERE {_IN_THREAD} AND t.author_id = %(user)s
    ) END AS my_last_at,
    CASE WHEN s.shown THEN {_person_sql("s.author_id")} END AS author_name,
    CASE WHEN s.shown AND %(messages)s THEN {_mentions_sql("s.id")} END AS mention_rows,
    CASE WHEN s.shown AND %(messages)s THEN ARRAY(
        SELECT jsonb_build_object('id', r.id, 'parent_id', r.parent_id, 'question_id', r.question_id,
            'version_id', r.version_id, 'author_id', r.author_id, 'body', r.body, 'created_at', r.created_at,
            'author_name', {_person_sql("r.author_id")}, 'mention_rows', {_mentions_sql("r.id")})
        FROM {_COMMENT} r WHERE r.parent_id = s.id ORDER BY r.created_at, r.id
    ) END AS messages
FROM shown s LEFT JOIN {_QUESTION} q ON q.id = s.question_id
LEFT JOIN LATERAL (
    SELECT t.author_id, t.created_at, {_person_sql("t.author_id")} AS name,
        EXISTS(SELECT 1 FROM {_MEMBERS} m WHERE m.project_id = %(project)s AND m.user_id = t.author_id)
        AS team
    FROM {_COMMENT} t WHERE s.resolved_at IS NULL AND {_IN_THREAD}
    ORDER BY t.created_at DESC, t.id DESC LIMIT 1
) l ON true
WHERE %(only_block)s::bigint IS NULL OR s.open_rank IS NOT NULL
ORDER BY s.created_at, s.id
"""  # noqa: S608 - the models' own table names and constants, every input a parameter


def _json(value):
    # jsonb comes back as text (Django's loader, for JSONField), arrays of it as lists of text.
    return json.loads(value) if isinstance(value, str) else value


def _thread_rows(deliverable, user, *, paging=None, page_of=None, messages=True) -> list[dict]:
    """The threads of the deliverable, one row per first comment, oldest first, in one statement whatever
    their number: for each, what a summary line says (its number, its replies' pks, its last message, the
    reader's last word and last mention in it, whether the team wrote last), and for the open threads the
    page shows (the first ones of each block, more as `paging` asks) their mentions and replies
    (`messages`). `page_of=(block key, n)` reads the open threads of that block alone, showing its page n."""
    paging = paging or Paging()
    params = {
        "deliverable": deliverable.pk,
        "project": deliverable.project_id,
        "user": user.pk,
        "only_block": None,
        "target": paging.discussion,
        "block": paging.block_key,
        "block_limit": paging.pages * THREADS_PER_PAGE,
        "start": 0,
        "end": THREADS_PER_PAGE,
        "messages": messages,
    }
    if page_of is not None:
        key, page = page_of
        params.update(
            only_block=key,
            target=None,
            block=None,
            start=(page - 1) * THREADS_PER_PAGE,
            end=page * THREADS_PER_PAGE,
        )
    with connection.cursor() as cursor:
        cursor.execute(_THREAD_ROWS_SQL, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["parent_id"] = None
        row["mention_rows"] = [_json(m) for m in row["mention_rows"] or []]
        row["messages"] = [_json(m) for m in row["messages"] or []]
    return rows


@dataclass
class Block:
    """The threads of a question (or of the whole note) as a page shows them: its open threads oldest first,
    the first `shown` of them with their messages, then its resolved ones."""

    question_id: int | None
    open: list = field(default_factory=list)
    resolved: list = field(default_factory=list)
    shown: int = 0
    more: "More | None" = None

    @property
    def threads(self) -> list:
        return [*self.open[: self.shown], *self.resolved]

    def __bool__(self) -> bool:
        return bool(self.open or self.resolved)


def _threads_of(rows, deliverable, numbers, *, project, on_team, return_to) -> list:
    """Threads of the rows of `_thread_rows`, linked (`link_threads`), each knowing whether it waits for the
    reader: on their project's note (`on_team`), the last word is not the team's; or they were mentioned
    and have not written in the thread since — the rule of their « À faire » (`selectors._thread_awaits`)."""
    threads = []
    abandoned = project.stage == Stage.ABANDONED
    for row in rows:
        messages = row.pop("messages", None) or []
        root = CommentRow(row, version_number=numbers.get(row["version_id"]))
        replies = [
            CommentRow(
                reply,
                created_at=datetime.fromisoformat(reply["created_at"]),
                version_number=numbers.get(reply["version_id"]),
            )
            for reply in messages
        ]
        last_author, mention, mine = row["last_author"], row["last_mention_at"], row["my_last_at"]
        waits = (
            not abandoned
            and root.resolved_at is None
            and (
                (
                    on_team
                    and last_author is not None
                    and last_author != project.lead_id
                    and not row["last_by_team"]
                )
                or (mention is not None and (mine is None or mine < mention))
            )
        )
        threads.append(
            Thread(
                root=root,
                replies=replies,
                number=row["number"],
                reply_ids=row["reply_ids"],
                last_name=row["last_name"],
                last_at=row["last_at"],
                waits=waits,
                shown=row["shown"],
            )
        )
    link_threads(threads, deliverable, return_to=return_to)
    return threads


def _page_url(deliverable, return_to) -> str:
    name = "projects:review" if return_to == RETURN_TO_REVIEW else "projects:deliverable"
    return reverse(name, args=[deliverable.project_id, deliverable.kind])


def _more(page_url, block, shown, following, per_page, anchor=None, about="") -> More | None:
    """The « voir plus » after `shown` items of a list whose next ones are `following`."""
    if not following:
        return None
    pages = -(-shown // per_page) + 1
    return More(
        url=f"{page_url}?fils={block}&pages={pages}",
        anchor=anchor or f"commentaire-{following[0].root.pk}",
        count=min(per_page, len(following)),
        left=len(following),
        about=about,
    )


def _blocks(threads, page_url) -> dict:
    blocks = {}
    words = _Words()
    for thread in threads:
        question_id = thread.root.question_id
        block = blocks.get(question_id) or blocks.setdefault(question_id, Block(question_id))
        if thread.is_resolved:
            block.resolved.append(thread)
        else:
            block.open.append(thread)
            block.shown += thread.shown
    for block in blocks.values():
        block.more = _more(
            page_url,
            block_name(block.question_id),
            block.shown,
            block.open[block.shown :],
            THREADS_PER_PAGE,
            about=words.about(block.open[0]) if block.open else "",
        )
    return blocks


def _on_team(rights, project) -> bool:
    return rights.is_member and project.stage != Stage.ABANDONED


def _versions_sql() -> str:
    table = DeliverableVersion._meta.db_table
    columns = ", ".join(
        f"v.{field.column}" for field in DeliverableVersion._meta.concrete_fields if field.name != "content"
    )
    return (
        f"SELECT {columns}, {_name_sql('s')} AS submitted_by_name, {_name_sql('d')} AS decided_by_name"  # noqa: S608
        f" FROM {table} v LEFT JOIN {_USER} s ON s.id = v.submitted_by_id"
        f" LEFT JOIN {_USER} d ON d.id = v.decided_by_id"
        " WHERE v.deliverable_id = %s ORDER BY v.number DESC"
    )


_VERSIONS_SQL = _versions_sql()
_PRIVATE_NOTES_SQL = _private_notes_sql()


def review_versions(deliverable) -> list:
    """The deliverable's submitted versions, the latest first, without their content (loaded when read), with
    the names of who submitted and who decided (`submitted_by_name`, `decided_by_name`): written once as SQL,
    composing it with the ORM cost every note's page more than the database takes to answer."""
    return list(DeliverableVersion.objects.raw(_VERSIONS_SQL, [deliverable.pk]))


def review_context(deliverable, rights, user, *, return_to=RETURN_TO_DELIVERABLE, paging=None) -> dict:
    """Everything the review templates show on a deliverable's page, in a fixed number of queries whatever
    the number of comments, replies, mentions or versions: the first open threads of each block with their
    messages (more as `paging` asks), the others counted and listed in summary."""
    paging = paging or Paging()
    project = deliverable.project
    versions = review_versions(deliverable)
    numbers = {version.pk: version.number for version in versions}
    page_url = _page_url(deliverable, return_to)
    threads = _threads_of(
        _thread_rows(deliverable, user, paging=paging),
        deliverable,
        numbers,
        project=project,
        on_team=_on_team(rights, project),
        return_to=return_to,
    )
    blocks = _blocks(threads, page_url)
    latest = versions[0] if versions else None
    can_decide = rights.can_review and deliverable.status == DeliverableStatus.SUBMITTED
    last_decision = next((v for v in versions if v.decision), None)
    summary_pages = paging.pages if paging.block == SUMMARY else 1
    return {
        "deliverable": deliverable,
        "project": project,
        "user": user,
        "can_comment": rights.can_comment,
        "can_review": rights.can_review,
        "can_decide": can_decide,
        "can_reopen": rights.can_review and deliverable.status == DeliverableStatus.VALIDATED,
        "blocks": blocks,
        "has_general": bool(blocks.get(None)),
        "versions": versions,
        "latest_version": latest,
        "last_decision": last_decision,
        "summary": note_summary(deliverable, last_decision, threads, page_url, pages=summary_pages),
        "decision_form": DecisionForm(initial={"version": latest.number}) if can_decide else None,
        "mentionable": mentionable_people(project) if rights.can_comment else [],
        "private_notes": private_notes_panel(project, rights, deliverable=deliverable, return_to=return_to),
        "return_to": return_to,
        "failed": None,
    }


def threads_page(deliverable, rights, user, paging, *, return_to=RETURN_TO_DELIVERABLE) -> dict | None:
    """The page `paging.pages` of a block's open threads or of the summary's, as htmx puts it in place of
    the « voir plus » that asked for it, with the next « voir plus »; None for a block with no such page."""
    project = deliverable.project
    page_url = _page_url(deliverable, return_to)
    numbers = dict(DeliverableVersion.objects.filter(deliverable=deliverable).values_list("pk", "number"))
    common = {"project": project, "on_team": _on_team(rights, project), "return_to": return_to}
    if paging.block == SUMMARY:
        threads = _threads_of(_thread_rows(deliverable, user, messages=False), deliverable, numbers, **common)
        summary = note_summary(deliverable, None, threads, page_url, pages=paging.pages)
        before = (paging.pages - 1) * SUMMARY_PER_PAGE
        return {"summary": True, "open_threads": summary["open_threads"][before:], "more": summary["more"]}
    rows = _thread_rows(deliverable, user, page_of=(paging.block_key, paging.pages))
    threads = _threads_of(rows, deliverable, numbers, **common)
    shown = [thread for thread in threads if thread.shown]
    if not shown:
        return None
    after = threads[threads.index(shown[-1]) + 1 :]
    more = _more(
        page_url,
        paging.block,
        paging.pages * THREADS_PER_PAGE,
        after,
        THREADS_PER_PAGE,
        about=_Words().about(shown[0]),
    )
    return {
        "summary": False,
        "threads": shown,
        "more": more,
        "can_comment": rights.can_comment,
        "return_to": return_to,
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
    # Its rank among the threads of its question, as the deliverable's page numbers them (`_thread_rows`).
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


def note_summary(deliverable, last_decision, threads, page_url, *, pages=1) -> dict:
    """What the top of the note says first: the reviewer's decision when the note is « À reprendre » (its
    message, the reviewer, the date) or the reason it was reopened, and its open threads, counted, the first
    `pages` pages of them listed (those waiting for this person first, each marked, then by question)."""
    open_threads = [thread for thread in threads if not thread.is_resolved]
    open_threads.sort(
        key=lambda thread: (
            not thread.waits,
            _question_number(thread.root) if thread.root.question_id else 0,
            thread.root.created_at,
        )
    )
    listed = open_threads[: pages * SUMMARY_PER_PAGE]
    for thread in listed:
        root = thread.root
        thread.link = f"#commentaire-{root.pk}" if thread.shown else with_discussion(page_url, root)
    changes = (
        last_decision
        if deliverable.status == DeliverableStatus.CHANGES_REQUESTED
        and last_decision is not None
        and last_decision.decision == DeliverableVersion.Decision.CHANGES_REQUESTED
        else None
    )
    reopened = deliverable.status == DeliverableStatus.DRAFT and bool(deliverable.reopen_reason)
    more = _more(
        page_url,
        SUMMARY,
        len(listed),
        open_threads[len(listed) :],
        SUMMARY_PER_PAGE,
        anchor="discussions-ouvertes",
    )
    return {
        "changes": changes,
        "reopened": reopened,
        "open_threads": [(thread, thread.waits) for thread in listed],
        "open_count": len(open_threads),
        "waiting_count": sum(thread.waits for thread in open_threads),
        "more": more,
        "is_shown": bool(changes or reopened or open_threads),
    }
