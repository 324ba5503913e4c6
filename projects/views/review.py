"""The review of a deliverable: the facilitator's decision and the reopening of a validated deliverable,
comment threads (added, resolved, reopened with htmx or by a plain form), the facilitators' private notes,
and the submitted versions with their comparison."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import login_required
from core.errors import DomainError

from .. import access, selectors, services
from ..diff import compare_snapshots, snapshot_questions
from ..models import DeliverableStatus
from ..review import (
    RETURN_TO_DELIVERABLE,
    RETURN_TO_PROJECT,
    RETURN_TO_REVIEW,
    Paging,
    comment_article,
    mentionable_people,
    private_notes_panel,
    review_context,
    thread_context,
    threads_page,
    with_discussion,
)
from ..review_forms import CommentForm, CompareForm, DecisionForm, PrivateNoteForm, ReopenForm


def _deliverable_url(deliverable, anchor=""):
    return reverse("projects:deliverable", args=[deliverable.project_id, deliverable.kind]) + anchor


def _review_url(deliverable, anchor=""):
    return reverse("projects:review", args=[deliverable.project_id, deliverable.kind]) + anchor


def _return_url(request, deliverable=None, project=None, anchor=""):
    """Back to the page the form was sent from, among the few a review form lives on."""
    where = request.POST.get("return_to")
    if deliverable is not None and where == RETURN_TO_REVIEW:
        return _review_url(deliverable, anchor)
    if deliverable is None or where == RETURN_TO_PROJECT:
        return reverse("projects:detail", args=[project.pk if project else deliverable.project_id]) + anchor
    return _deliverable_url(deliverable, anchor)


def _return_to(request):
    where = request.POST.get("return_to")
    return where if where in (RETURN_TO_DELIVERABLE, RETURN_TO_REVIEW, RETURN_TO_PROJECT) else None


# --- The decision ----------------------------------------------------------------------------------------


def _render_review(request, deliverable, rights, *, decision_form=None, status=200, paging=None):
    review = review_context(deliverable, rights, request.user, return_to=RETURN_TO_REVIEW, paging=paging)
    if decision_form is not None:
        review["decision_form"] = decision_form
    latest = review["latest_version"]
    questions = []
    if latest is not None:
        # The page shows what was submitted: the snapshot, with the threads of the live questions beside it.
        latest.refresh_from_db(fields=["content"])
        live = {q.number: q for q in deliverable.question_set.questions.all()}
        shown = selectors.in_reader_language(
            deliverable.kind, latest.content, snapshot_questions(latest.content)
        )
        questions = [{**q, "question": live.get(q["number"])} for q in shown]
    return render(
        request,
        "projects/review/review.html",
        {
            "deliverable": deliverable,
            "project": deliverable.project,
            "review": review,
            "questions": questions,
            "previous_number": latest.number - 1 if latest and latest.number > 1 else None,
        },
        status=status,
    )


@login_required
def review(request, pk, kind):
    deliverable, rights = access.get_deliverable_for_reviewing(request.user, pk, kind)
    if request.method != "POST":
        # More open threads, as on the deliverable's page (projects.review.Paging).
        paging = Paging.of(request.GET)
        if request.htmx and paging.block:
            page = threads_page(deliverable, rights, request.user, paging, return_to=RETURN_TO_REVIEW)
            return render(request, "projects/review/_threads_page.html", {"page": page})
        return _render_review(request, deliverable, rights, paging=paging)
    form = DecisionForm(request.POST)
    if form.is_valid():
        latest = deliverable.versions.order_by("-number").values_list("number", flat=True).first()
        if latest != form.cleaned_data["version"]:
            form.add_error(
                None,
                _(
                    "Une autre version a été soumise depuis que vous avez ouvert cette page : "
                    "relisez-la avant de décider."
                ),
            )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.VALIDATE:
                decided = services.deliverable_validate(
                    actor=request.user, deliverable=deliverable, message=data["message"]
                )
            else:
                decided = services.deliverable_request_changes(
                    actor=request.user, deliverable=deliverable, message=data["message"]
                )
        except DomainError as error:
            # Shown above the page too: the decision form is gone once the deliverable left review.
            messages.error(request, error.message)
            form.add_error(None, error.message)
            return _render_review(request, deliverable, rights, decision_form=form, status=400)
        else:
            if decided.status == DeliverableStatus.VALIDATED:
                following = decided.kind_enum.next
                text = _("%(deliverable)s est validée.") % {"deliverable": decided.get_kind_display()}
                if following:
                    text += " " + _("La %(next)s est ouverte à l'équipe.") % {"next": following.label.lower()}
            else:
                text = _("%(deliverable)s est renvoyée à l'équipe avec votre message.") % {
                    "deliverable": decided.get_kind_display()
                }
            messages.success(request, text)
            return redirect(_deliverable_url(deliverable))
    messages.error(request, _("La décision n'est pas enregistrée : corrigez ce qui est signalé."))
    return _render_review(request, deliverable, rights, decision_form=form, status=400)


@login_required
def reopen(request, pk, kind):
    deliverable, rights = access.get_deliverable_for_reviewing(request.user, pk, kind)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.deliverable_reopen(
                    actor=request.user, deliverable=deliverable, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(deliverable)s est rouverte : l'équipe peut la reprendre.")
                    % {"deliverable": deliverable.get_kind_display()},
                )
                return redirect(_deliverable_url(deliverable))
        status = 400
    return render(
        request,
        "projects/review/reopen.html",
        {
            "deliverable": deliverable,
            "project": deliverable.project,
            "form": form,
            "can_reopen": deliverable.status == DeliverableStatus.VALIDATED,
        },
        status=status,
    )


# --- Comments --------------------------------------------------------------------------------------------


def _render_block(request, deliverable, rights, question, *, failed=None, announce="", comment=None):
    """The threads of one question (or of the whole deliverable), as htmx swaps them in: down to the thread
    of `comment` (the one just written, resolved or reopened), even beyond the block's first page."""
    paging = Paging(discussion=(comment.parent_id or comment.pk) if comment is not None else None)
    review = review_context(
        deliverable,
        rights,
        request.user,
        return_to=_return_to(request) or RETURN_TO_DELIVERABLE,
        paging=paging,
    )
    review["failed"] = failed
    context = {"review": review, "question": question, "announce": announce}
    template = (
        "projects/review/_question_thread.html" if question else "projects/review/_general_threads.html"
    )
    return render(request, template, context)


def _block_anchor(question):
    return f"#discussion-q{question.pk}" if question else "#discussion-generale"


def _form_key(question, parent):
    if parent is not None:
        return f"r{parent.pk}"
    return f"q{question.pk}" if question else "general"


@login_required
@require_POST
def comment_add(request, pk, kind):
    deliverable, rights = access.get_deliverable_for_commenting(request.user, pk, kind)
    questions = list(deliverable.question_set.questions.all())
    form = CommentForm(
        request.POST,
        deliverable=deliverable,
        questions=questions,
        people=mentionable_people(deliverable.project),
    )
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.comment_add(
                actor=request.user,
                deliverable=deliverable,
                body=data["body"],
                question=data["question_obj"],
                parent=data["parent"],
                mentioned=data["mentioned"],
                allowed_mentions=form.people,
            )
        except DomainError as refused:
            error = refused.message
        else:
            if request.htmx:
                return _render_block(
                    request,
                    deliverable,
                    rights,
                    comment.question,
                    announce=_("Commentaire publié."),
                    comment=comment,
                )
            messages.success(request, _("Votre commentaire est publié."))
            return redirect(with_discussion(_return_url(request, deliverable), comment))
    cleaned = getattr(form, "cleaned_data", {})
    parent = cleaned.get("parent")
    question = parent.question if parent else cleaned.get("question_obj")
    errors = [error] if error else [e for errors in form.errors.values() for e in errors]
    failed = {"key": _form_key(question, parent), "body": request.POST.get("body", ""), "errors": errors}
    # A form the page never offered (unknown question or thread): nothing to show it again in.
    offered = not form.has_error("question") and not form.has_error("parent")
    if request.htmx and offered:
        return _render_block(request, deliverable, rights, question, failed=failed, comment=parent)
    return render(
        request,
        "projects/review/comment_error.html",
        {
            "deliverable": deliverable,
            "project": deliverable.project,
            "form": form,
            "failed": failed,
            "question": question,
            "parent": parent,
            "parent_article": comment_article(parent) if parent else "",
            "return_to": _return_to(request) or RETURN_TO_DELIVERABLE,
            "back_url": _return_url(request, deliverable, anchor=_block_anchor(question)),
        },
        status=400,
    )


@login_required
def comment_thread(request, pk, kind, comment_pk):
    """One thread on a page of its own: where a resolved thread's summary leads and where one replies without
    JavaScript. With htmx, its messages alone (a resolved thread opened on the deliverable's page) or its
    reply form alone (« Répondre » opened)."""
    deliverable, rights = access.get_deliverable_for_user(request.user, pk, kind)
    where = request.GET.get("return_to")
    return_to = where if where in (RETURN_TO_DELIVERABLE, RETURN_TO_REVIEW) else RETURN_TO_DELIVERABLE
    context = thread_context(deliverable, rights, request.user, comment_pk, return_to=return_to)
    if context is None:
        raise Http404
    part = request.GET.get("partie")
    if request.htmx and part == "messages":
        return render(request, "projects/review/_thread_messages.html", context)
    if request.htmx and part == "reponse":
        if not rights.can_comment or context["thread"].is_resolved:
            raise PermissionDenied
        return render(request, "projects/review/_reply_form.html", {**context, "review": context})
    # Back to the thread itself on the page it was read from, even beyond its block's first page.
    back = with_discussion(_return_url_for(deliverable, return_to, ""), context["thread"].root)
    return render(request, "projects/review/thread.html", {**context, "review": context, "back_url": back})


def _return_url_for(deliverable, return_to, anchor):
    if return_to == RETURN_TO_REVIEW:
        return _review_url(deliverable, anchor)
    return _deliverable_url(deliverable, anchor)


def _comment_step(request, pk, kind, comment_pk, step, done):
    comment, rights = access.get_comment_for_commenting(request.user, pk, kind, comment_pk)
    deliverable = comment.deliverable
    try:
        step(actor=request.user, comment=comment)
    except DomainError as error:
        if request.htmx:
            return _render_block(
                request, deliverable, rights, comment.question, announce=error.message, comment=comment
            )
        messages.error(request, error.message)
    else:
        if request.htmx:
            return _render_block(
                request, deliverable, rights, comment.question, announce=done, comment=comment
            )
        messages.success(request, done)
    return redirect(with_discussion(_return_url(request, deliverable), comment))


@login_required
@require_POST
def comment_resolve(request, pk, kind, comment_pk):
    return _comment_step(request, pk, kind, comment_pk, services.comment_resolve, _("Discussion résolue."))


@login_required
@require_POST
def comment_reopen(request, pk, kind, comment_pk):
    return _comment_step(request, pk, kind, comment_pk, services.comment_reopen, _("Discussion rouverte."))


# --- Private notes ---------------------------------------------------------------------------------------


@login_required
@require_POST
def private_note_add(request, pk):
    project, rights = access.get_project_for_private_notes(request.user, pk)
    form = PrivateNoteForm(request.POST)
    deliverable = None
    if form.is_valid() and form.cleaned_data["deliverable"]:
        deliverable = selectors.opened_deliverable(project, form.cleaned_data["deliverable"])
        if deliverable is None:
            form.add_error("deliverable", _("Ce livrable n'est pas encore ouvert."))
    if form.is_valid():
        try:
            services.private_note_add(
                actor=request.user, project=project, body=form.cleaned_data["body"], deliverable=deliverable
            )
        except DomainError as error:
            form.add_error("body", error.message)
        else:
            if request.htmx:
                panel = private_notes_panel(
                    project, rights, deliverable=deliverable, return_to=_return_to(request)
                )
                return render(
                    request,
                    "projects/review/_private_notes.html",
                    {"private_notes": panel, "announce": _("Note privée enregistrée.")},
                )
            messages.success(request, _("Votre note privée est enregistrée."))
            return redirect(_return_url(request, deliverable, project, anchor="#notes-privees"))
    failed = {
        "body": request.POST.get("body", ""),
        "errors": [e for errors in form.errors.values() for e in errors],
    }
    panel = private_notes_panel(project, rights, deliverable=deliverable, return_to=_return_to(request))
    panel["failed"] = failed
    if request.htmx:
        return render(request, "projects/review/_private_notes.html", {"private_notes": panel})
    panel["heading_level"] = 2
    return render(
        request,
        "projects/review/private_note_error.html",
        {"project": project, "private_notes": panel, "back_url": _return_url(request, deliverable, project)},
        status=400,
    )


# --- Versions --------------------------------------------------------------------------------------------


@login_required
def versions(request, pk, kind):
    deliverable, rights = access.get_deliverable_for_user(request.user, pk, kind)
    listed = list(
        deliverable.versions.defer("content").select_related("submitted_by", "decided_by").order_by("-number")
    )
    numbers = [v.number for v in listed]
    form = CompareForm(
        initial={"a": numbers[1], "b": numbers[0]} if len(numbers) > 1 else None,
        numbers=sorted(numbers),
        auto_id="compare_%s",
    )
    return render(
        request,
        "projects/review/versions.html",
        {
            "deliverable": deliverable,
            "project": deliverable.project,
            "versions": listed,
            "compare_form": form,
        },
    )


@login_required
def version(request, pk, kind, number):
    snapshot, rights = access.get_version_for_user(request.user, pk, kind, number)
    deliverable = snapshot.deliverable
    return render(
        request,
        "projects/review/version.html",
        {
            "deliverable": deliverable,
            "project": deliverable.project,
            "version": snapshot,
            "questions": selectors.in_reader_language(
                deliverable.kind, snapshot.content, snapshot_questions(snapshot.content)
            ),
            "previous_number": snapshot.number - 1 if snapshot.number > 1 else None,
        },
    )


@login_required
def compare(request, pk, kind):
    deliverable, rights = access.get_deliverable_for_user(request.user, pk, kind)
    numbers = sorted(deliverable.versions.values_list("number", flat=True))
    form = CompareForm(request.GET or None, numbers=numbers, auto_id="compare_%s")
    if not request.GET and len(numbers) > 1:
        form = CompareForm({"a": numbers[-2], "b": numbers[-1]}, numbers=numbers, auto_id="compare_%s")
    changes, old, new, status = None, None, None, 200
    if form.is_bound:
        if form.is_valid():
            chosen = {
                v.number: v
                for v in deliverable.versions.filter(
                    number__in=[form.cleaned_data["a"], form.cleaned_data["b"]]
                )
            }
            old, new = chosen[form.cleaned_data["a"]], chosen[form.cleaned_data["b"]]
            changes = selectors.in_reader_language(
                deliverable.kind, new.content, compare_snapshots(old.content, new.content)
            )
        else:
            status = 400
    return render(
        request,
        "projects/review/compare.html",
        {
            "deliverable": deliverable,
            "project": deliverable.project,
            "form": form,
            "has_two": len(numbers) > 1,
            "changes": changes,
            "old": old,
            "new": new,
            "changed_count": sum(1 for c in changes or [] if c["changed"]),
        },
        status=status,
    )
