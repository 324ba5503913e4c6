"""Writing the deliverables: the deliverable page (read and edit modes), the answers' autosave with its
conflict view, each answer's history, the structured parts and the submission.

The views answer htmx requests with fragments of the page and plain requests with whole pages or redirects,
so that every form also works without JavaScript."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core import dates, french
from core.decorators import login_required
from core.errors import DomainError

from .. import access, charts, selectors, services
from ..forms import (
    AnswerForm,
    MeansForm,
    ObjectiveForm,
    RestoreForm,
    RolesForm,
    StakeholderForm,
    StepForm,
    SuccessCriterionForm,
)
from ..models import (
    DeliverableKind,
    Means,
    MeansKind,
    MeansOrigin,
    Objective,
    ResponsibilityLevel,
    Stakeholder,
    Step,
    StructuredPart,
    SuccessCriterion,
)
from ..review import RETURN_TO_DELIVERABLE, Paging, review_context, threads_page


def _question(deliverable, number):
    question = deliverable.question_set.questions.filter(number=number).first()
    if question is None:
        raise Http404
    return question


# --- Structured parts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    slug: str
    structured_part: str
    model: type
    form_class: type
    add_label: str
    extra: tuple = ()

    def items(self, deliverable):
        return selectors.part_items(self.model, deliverable, **dict(self.extra))

    def new_item(self, deliverable):
        return self.model(deliverable=deliverable, **dict(self.extra))

    def form(self, deliverable, data=None, instance=None):
        kwargs = {"data": data, "instance": instance or self.new_item(deliverable), "prefix": self.slug}
        if self.form_class is SuccessCriterionForm:
            kwargs["deliverable"] = deliverable
        if self.form_class is MeansForm:
            kwargs["origin"] = dict(self.extra)["origin"]
        return self.form_class(**kwargs)


PARTS = {
    part.slug: part
    for part in [
        Part(
            "parties-prenantes",
            StructuredPart.STAKEHOLDERS,
            Stakeholder,
            StakeholderForm,
            gettext_lazy("Ajouter une partie prenante"),
        ),
        Part(
            "objectifs",
            StructuredPart.OBJECTIVES,
            Objective,
            ObjectiveForm,
            gettext_lazy("Ajouter un objectif"),
        ),
        Part(
            "criteres",
            StructuredPart.SUCCESS_CRITERIA,
            SuccessCriterion,
            SuccessCriterionForm,
            gettext_lazy("Ajouter un critère de réussite"),
        ),
        Part(
            "moyens-internes",
            StructuredPart.INTERNAL_MEANS,
            Means,
            MeansForm,
            gettext_lazy("Ajouter un moyen interne"),
            (("origin", MeansOrigin.INTERNAL),),
        ),
        Part(
            "moyens-externes",
            StructuredPart.EXTERNAL_MEANS,
            Means,
            MeansForm,
            gettext_lazy("Ajouter un moyen externe"),
            (("origin", MeansOrigin.EXTERNAL),),
        ),
        Part("etapes", StructuredPart.STEPS, Step, StepForm, gettext_lazy("Ajouter une étape")),
    ]
}
PART_OF = {part.structured_part: part for part in PARTS.values()}


def _means_totals(means) -> dict:
    """FTE and euros by kind, and their sum: computed from the rows already read."""
    rows = []
    for kind in MeansKind:
        of_kind = [m for m in means if m.kind == kind]
        rows.append(
            {
                "label": kind.label,
                "count": len(of_kind),
                "fte": sum((m.fte for m in of_kind if m.fte is not None), start=0),
                "amount": sum((m.amount for m in of_kind if m.amount is not None), start=0),
            }
        )
    return {
        "rows": rows,
        "fte": sum((row["fte"] for row in rows), start=0),
        "amount": sum((row["amount"] for row in rows), start=0),
    }


def _part_context(deliverable, part: Part, *, writable, form=None, editing=None) -> dict:
    items = list(part.items(deliverable))
    context = {
        "part": part,
        "items": items,
        "deliverable": deliverable,
        "writable": writable,
        "form": form if form is not None else (part.form(deliverable) if writable else None),
        "editing": editing,
    }
    if part.model is Means:
        context["totals"] = _means_totals(items)
    if part.model is Step:
        context["chart"] = charts.steps_svg(
            items,
            title=_("Calendrier des étapes du projet « %(project)s »")
            % {"project": deliverable.project.title},
            id_prefix=f"gantt-{deliverable.pk}",
        )
    return context


def _roles_context(deliverable, *, writable, form=None) -> dict:
    stakeholders = selectors.roles_stakeholders(deliverable)
    steps = list(deliverable.steps.all())
    current = selectors.responsibility_levels(deliverable)
    labels = dict(ResponsibilityLevel.choices)
    matrix = [
        (stakeholder, [labels.get(current.get((stakeholder.pk, step.pk)), "") for step in steps])
        for stakeholder in stakeholders
    ]
    if writable and form is None and stakeholders and steps:
        form = RolesForm(stakeholders=stakeholders, steps=steps, current=current)
    return {
        "deliverable": deliverable,
        "stakeholders": stakeholders,
        "steps": steps,
        "matrix": matrix,
        "levels": ResponsibilityLevel.choices,
        "writable": writable,
        "roles_form": form,
    }


# --- The deliverable page ------------------------------------------------------------------------------


def _editor_context(deliverable, question, answer, *, form=None, saved=False) -> dict:
    version = answer.version if answer else 0
    return {
        "deliverable": deliverable,
        "question": question,
        "answer": answer,
        "form": form or AnswerForm(initial={"text": answer.text if answer else "", "version": version}),
        "version": version,
        "saved": saved,
    }


def _tabs(deliverable) -> list:
    """The three notes in order, those not yet open without a link."""
    existing = getattr(deliverable, "tab_list", None)
    if existing is None:
        existing = deliverable.project.deliverables.all()
    by_kind = {d.kind: d for d in existing}
    return [(kind, kind.label, by_kind.get(kind.value)) for kind in DeliverableKind.ordered()]


def _answers_and_left_behind(deliverable, questions) -> tuple[dict, list]:
    """The answers to the deliverable's questions by question id, and those its earlier versions of the
    questions hold and its current one no longer asks (kept, shown apart), in one read."""
    asked = {question.key for question in questions}
    answers, left_behind = {}, []
    for answer in deliverable.answers.select_related("updated_by", "question__question_set"):
        if answer.question.question_set_id == deliverable.question_set_id:
            answers[answer.question_id] = answer
        elif answer.question.key not in asked and answer.text != "":
            left_behind.append(answer)
    left_behind.sort(key=lambda a: (a.question.question_set.version, a.question.number))
    return answers, left_behind


def _newer_questions(deliverable):
    current = selectors.current_question_set(deliverable.kind)
    return current if current is not None and current.pk != deliverable.question_set_id else None


def _page_context(request, deliverable, rights, *, missing=(), paging=None) -> dict:
    project = deliverable.project
    writable = rights.can_write(deliverable)
    asked = getattr(deliverable, "question_list", None)
    if asked is None:
        asked = list(deliverable.question_set.questions.all())
    answers, left_behind = _answers_and_left_behind(deliverable, asked)
    missing_numbers = {q.number for q in missing}
    questions = []
    for question in asked:
        answer = answers.get(question.pk)
        item = {
            "question": question,
            "answer": answer,
            "missing": question.number in missing_numbers,
            "editor": _editor_context(deliverable, question, answer) if writable else None,
        }
        if question.structured_part == StructuredPart.ROLES:
            item["roles"] = _roles_context(deliverable, writable=writable)
        elif question.structured_part in PART_OF:
            item["part"] = _part_context(deliverable, PART_OF[question.structured_part], writable=writable)
        questions.append(item)
    context = {
        "project": project,
        "deliverable": deliverable,
        "rights": rights,
        "writable": writable,
        "can_edit": rights.can_edit,
        "questions": questions,
        "missing": missing,
        "tabs": _tabs(deliverable),
        "answer_max_chars": settings.ANSWER_MAX_CHARS,
        # A draft written against an older version of the questions may move to the one in force.
        "newer_questions": _newer_questions(deliverable) if writable else None,
        "left_behind": left_behind,
    }
    context["review"] = review_context(deliverable, rights, request.user, paging=paging)
    return context


@login_required
def deliverable_page(request, pk, kind):
    """The note; `?fils=…&pages=…` shows more open threads of a block or of the summary (with htmx, that page
    of them alone), `?discussion=…` the block of a thread down to it (projects.review.Paging)."""
    deliverable, rights = access.get_deliverable_page_for_user(request.user, pk, kind)
    paging = Paging.of(request.GET)
    if request.htmx and paging.block:
        page = threads_page(deliverable, rights, request.user, paging, return_to=RETURN_TO_DELIVERABLE)
        return render(request, "projects/review/_threads_page.html", {"page": page})
    return render(
        request, "projects/deliverable.html", _page_context(request, deliverable, rights, paging=paging)
    )


# --- Answers -------------------------------------------------------------------------------------------


def _saved_response(request, deliverable, question, answer):
    """The autosave's answer: the time of the save for the status line, and the new base version."""
    context = _editor_context(deliverable, question, answer, saved=True)
    context["saved_at"] = timezone.localtime(answer.updated_at) if answer and answer.pk else timezone.now()
    return render(request, "projects/deliverables/_autosave_saved.html", context)


def _conflict_context(deliverable, question, conflict) -> dict:
    current = selectors.answer_with_author(conflict.answer.pk)
    return {
        "deliverable": deliverable,
        "question": question,
        "message": conflict.message,
        "mine": conflict.mine,
        "theirs": current,
    }


@login_required
@require_POST
def answer_save(request, pk, kind, number):
    deliverable, question, _rights = access.get_question_for_editing(request.user, pk, kind, number)
    form = AnswerForm(request.POST)
    resolving = request.POST.get("choice") in ("mine", "theirs")
    error = None
    if form.is_valid():
        try:
            answer = services.answer_save(
                actor=request.user,
                deliverable=deliverable,
                question=question,
                text=form.cleaned_data["text"],
                base_version=form.cleaned_data["version"],
            )
        except services.AnswerConflict as conflict:
            context = _conflict_context(deliverable, question, conflict)
            if request.htmx:
                response = render(
                    request, "projects/deliverables/_conflict_response.html", context, status=409
                )
                return reswap(retarget(response, f"#answer-{question.number}-conflict"), "innerHTML")
            return render(
                request,
                "projects/deliverables/conflict.html",
                {**context, "project": deliverable.project},
                status=409,
            )
        except DomainError as refused:
            error = refused.message
        else:
            if request.htmx and not resolving:
                return _saved_response(request, deliverable, question, answer)
            if request.htmx:
                context = _editor_context(deliverable, question, answer, saved=True)
                context["saved_at"] = timezone.localtime(answer.updated_at)
                return render(request, "projects/deliverables/_answer_editor.html", context)
            messages.success(
                request, _("Votre réponse à la question %(number)s est enregistrée.") % {"number": number}
            )
            return redirect(f"{deliverable.get_absolute_url()}#question-{number}")
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    context = {"deliverable": deliverable, "question": question, "error": error}
    if request.htmx:
        return render(request, "projects/deliverables/_autosave_error.html", context, status=422)
    # Without JavaScript: the text comes back in its form with the message, so that nothing typed is lost.
    answer = selectors.answer_of(deliverable, question)
    editor = _editor_context(deliverable, question, answer, form=form)
    editor["error"] = error
    return render(
        request,
        "projects/deliverables/answer_form.html",
        {**editor, "project": deliverable.project},
        status=422,
    )


@login_required
def answer_history(request, pk, kind, number):
    deliverable, rights = access.get_deliverable_for_user(request.user, pk, kind)
    question = _question(deliverable, number)
    answer = selectors.answer_of(deliverable, question)
    revisions = list(answer.revisions.select_related("saved_by", "restored_from")) if answer else []
    for revision in revisions:
        revision.restorable = rights.can_restore(deliverable, answer, revision)
    return render(
        request,
        "projects/deliverables/history.html",
        {
            "project": deliverable.project,
            "deliverable": deliverable,
            "question": question,
            "answer": answer,
            "revisions": revisions,
        },
    )


@login_required
@require_POST
def answer_restore(request, pk, kind, number, revision_pk):
    deliverable, _rights = access.get_deliverable_for_editing(request.user, pk, kind)
    question = _question(deliverable, number)
    revision = get_object_or_404(selectors.answer_revisions_of(deliverable, question), pk=revision_pk)
    history = reverse("projects:answer_history", args=[deliverable.project_id, deliverable.kind, number])
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rechargez la page de l'historique puis recommencez."))
        return redirect(history)
    try:
        services.answer_restore(
            actor=request.user, revision=revision, base_version=form.cleaned_data["version"]
        )
    except services.AnswerConflict:
        messages.error(
            request,
            _(
                "La réponse a été modifiée entre-temps : rien n'est perdu, les deux textes sont dans "
                "l'historique. Choisissez de nouveau celui à restaurer."
            ),
        )
        return redirect(history)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect(history)
    messages.success(
        request,
        _("Le texte enregistré le %(date)s est restauré.") % {"date": dates.long_datetime(revision.saved_at)},
    )
    return redirect(f"{deliverable.get_absolute_url()}#question-{number}")


# --- Structured parts ----------------------------------------------------------------------------------


def _part_for(deliverable, slug) -> Part:
    part = PARTS.get(slug)
    if (
        part is None
        or not deliverable.question_set.questions.filter(structured_part=part.structured_part).exists()
    ):
        raise Http404
    return part


def _part_anchor(deliverable, part) -> str:
    return f"{deliverable.get_absolute_url()}#partie-{part.slug}"


def _part_saved(request, deliverable, part, message):
    if request.htmx:
        context = _part_context(deliverable, part, writable=True)
        context["status"] = message
        return render(request, "projects/deliverables/_part.html", context)
    messages.success(request, message)
    return redirect(_part_anchor(deliverable, part))


def _part_form_invalid(request, deliverable, part, form, item=None):
    if request.htmx:
        context = _part_context(deliverable, part, writable=True, form=form, editing=item)
        return render(request, "projects/deliverables/_part.html", context, status=422)
    return render(
        request,
        "projects/deliverables/part_form.html",
        {
            "project": deliverable.project,
            "deliverable": deliverable,
            "part": part,
            "form": form,
            "item": item,
        },
        status=422,
    )


def _save_part(request, deliverable, part, item=None):
    form = part.form(deliverable, data=request.POST, instance=item)
    if not form.is_valid():
        return _part_form_invalid(request, deliverable, part, form, item)
    related = {}
    if isinstance(form, SuccessCriterionForm):
        related["objectives"] = list(form.cleaned_data["objectives"])
    try:
        saved = services.part_save(
            actor=request.user, deliverable=deliverable, item=form.save(commit=False), related=related
        )
    except DomainError as refused:
        form.add_error(None, refused.message)
        return _part_form_invalid(request, deliverable, part, form, item)
    message = (_("« %(item)s » est enregistré.") if item else _("« %(item)s » est ajouté.")) % {"item": saved}
    return _part_saved(request, deliverable, part, message)


@login_required
def part_add(request, pk, kind, part):
    deliverable, _rights = access.get_deliverable_for_editing(request.user, pk, kind)
    part = _part_for(deliverable, part)
    if request.method == "POST":
        return _save_part(request, deliverable, part)
    return render(
        request,
        "projects/deliverables/part_form.html",
        {
            "project": deliverable.project,
            "deliverable": deliverable,
            "part": part,
            "form": part.form(deliverable),
        },
    )


def _item(deliverable, part, item_pk):
    return get_object_or_404(part.items(deliverable), pk=item_pk)


@login_required
def part_edit(request, pk, kind, part, item_pk):
    deliverable, _rights = access.get_deliverable_for_editing(request.user, pk, kind)
    part = _part_for(deliverable, part)
    item = _item(deliverable, part, item_pk)
    if request.method == "POST":
        return _save_part(request, deliverable, part, item)
    context = {
        "project": deliverable.project,
        "deliverable": deliverable,
        "part": part,
        "form": part.form(deliverable, instance=item),
        "item": item,
    }
    if request.htmx:
        return render(request, "projects/deliverables/_part_form.html", context)
    return render(request, "projects/deliverables/part_form.html", context)


@login_required
@require_POST
def part_delete(request, pk, kind, part, item_pk):
    deliverable, _rights = access.get_deliverable_for_editing(request.user, pk, kind)
    part = _part_for(deliverable, part)
    item = _item(deliverable, part, item_pk)
    label = str(item)
    try:
        services.part_delete(actor=request.user, deliverable=deliverable, item=item)
    except DomainError as refused:
        if request.htmx:
            context = _part_context(deliverable, part, writable=False)
            context["status"] = refused.message
            return render(request, "projects/deliverables/_part.html", context, status=422)
        messages.error(request, refused.message)
        return redirect(_part_anchor(deliverable, part))
    return _part_saved(request, deliverable, part, _("« %(item)s » est supprimé.") % {"item": label})


@login_required
def roles(request, pk, kind):
    deliverable, rights = access.get_deliverable_for_editing(request.user, pk, kind)
    if not deliverable.question_set.questions.filter(structured_part=StructuredPart.ROLES).exists():
        raise Http404
    writable = rights.can_write(deliverable)
    context = _roles_context(deliverable, writable=True)
    anchor = f"{deliverable.get_absolute_url()}#partie-roles"
    if request.method == "POST" and context["roles_form"] is not None:
        form = RolesForm(
            request.POST,
            stakeholders=context["stakeholders"],
            steps=context["steps"],
            current={},
        )
        if form.is_valid():
            try:
                services.roles_save(actor=request.user, deliverable=deliverable, cells=form.cells())
            except DomainError as refused:
                form.add_error(None, refused.message)
            else:
                message = _("Les rôles et responsabilités sont enregistrés.")
                if not request.htmx:
                    messages.success(request, message)
                    return redirect(anchor)
                context = _roles_context(deliverable, writable=True)
                context["status"] = message
                return render(request, "projects/deliverables/_roles.html", context)
        context["roles_form"] = form
        status = 422
    else:
        status = 200
    context.update({"project": deliverable.project, "writable": writable})
    template = "projects/deliverables/_roles.html" if request.htmx else "projects/deliverables/roles.html"
    return render(request, template, context, status=status)


# --- Submission ----------------------------------------------------------------------------------------


@login_required
@require_POST
def submit(request, pk, kind):
    deliverable, rights = access.get_deliverable_for_editing(request.user, pk, kind)
    try:
        services.deliverable_submit(actor=request.user, deliverable=deliverable)
    except services.MissingAnswers as refused:
        context = _page_context(request, deliverable, rights, missing=refused.questions)
        context["submit_error"] = refused.message
        return render(request, "projects/deliverable.html", context, status=422)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect(deliverable.get_absolute_url())
    messages.success(
        request,
        _("%(the_deliverable)s est soumise : l'accompagnateur·ice du projet est prévenu·e.")
        % {
            "the_deliverable": french.capfirst(french.the_name(DeliverableKind(deliverable.kind).noun, "the"))
        },
    )
    return redirect(deliverable.get_absolute_url())
