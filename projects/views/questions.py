"""The versions of the deliverables' questions: the list per kind, drafting a new version, its preview and
its publication; and moving a draft deliverable to the version in force, after a review screen."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import login_required
from core.errors import DomainError

from .. import access, selectors, services
from ..models import DeliverableKind
from ..question_forms import QuestionRows, QuestionSetForm, question_rows_initial


@login_required
def question_sets(request):
    sets = list(access.get_question_sets_for_managing(request.user).order_by("kind", "-version"))
    kinds = [
        (kind.value, kind.label, [s for s in sets if s.kind == kind.value])
        for kind in DeliverableKind.ordered()
    ]
    return render(request, "projects/questions/list.html", {"kinds": kinds})


@login_required
@require_POST
def question_set_new(request, kind):
    access.get_question_sets_for_managing(request.user)
    try:
        draft = services.question_set_draft(actor=request.user, kind=kind)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("projects:question_sets")
    return redirect("projects:question_set_edit", pk=draft.pk)


@login_required
def question_set_detail(request, pk):
    """A version as the teams will see it (the preview of a draft)."""
    question_set = access.get_question_set_for_managing(request.user, pk)
    current = selectors.current_question_set(question_set.kind)
    in_use = question_set.deliverables.count()
    return render(
        request,
        "projects/questions/detail.html",
        {
            "question_set": question_set,
            "questions": list(question_set.questions.all()),
            "current": current,
            "in_use": in_use,
        },
    )


@login_required
def question_set_edit(request, pk):
    question_set = access.get_question_set_for_managing(request.user, pk)
    if not question_set.is_draft:
        messages.info(
            request, _("Cette version est publiée : elle ne change plus. Ouvrez une nouvelle version.")
        )
        return redirect("projects:question_set_detail", pk=question_set.pk)
    data = request.POST if request.method == "POST" else None
    form = QuestionSetForm(
        data,
        initial={
            "purpose": question_set.purpose,
            "purpose_en": question_set.purpose_en,
            "note": question_set.note,
        },
    )
    rows = QuestionRows(data, initial=question_rows_initial(question_set), prefix="questions")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            services.question_set_save(
                actor=request.user,
                question_set=question_set,
                purpose=form.cleaned_data["purpose"],
                purpose_en=form.cleaned_data["purpose_en"],
                note=form.cleaned_data["note"],
                questions=rows.rows(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Le brouillon est enregistré : vérifiez l'aperçu avant de publier."))
            return redirect("projects:question_set_detail", pk=question_set.pk)
    return render(
        request,
        "projects/questions/edit.html",
        {"question_set": question_set, "form": form, "rows": rows},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def question_set_publish(request, pk):
    question_set = access.get_question_set_for_managing(request.user, pk)
    try:
        services.question_set_publish(actor=request.user, question_set=question_set)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("La version %(version)s est publiée : les nouveaux livrables la suivent.")
            % {"version": question_set.version},
        )
    return redirect("projects:question_set_detail", pk=question_set.pk)


@login_required
def deliverable_migrate(request, pk, kind):
    """The review screen of moving a draft to the questions in force, and the move itself (POST)."""
    deliverable, rights = access.get_deliverable_for_user(request.user, pk, kind)
    if not rights.can_edit:
        raise PermissionDenied
    target = selectors.current_question_set(deliverable.kind)
    if target is None or target.pk == deliverable.question_set_id:
        messages.info(request, _("Ce livrable suit déjà la version des questions en vigueur."))
        return redirect(deliverable)
    if request.method == "POST":
        try:
            services.deliverable_migrate_questions(actor=request.user, deliverable=deliverable, target=target)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("La note suit désormais la version %(version)s des questions.")
                % {"version": target.version},
            )
        return redirect(deliverable)
    return render(
        request,
        "projects/questions/migrate.html",
        {
            "deliverable": deliverable,
            "project": deliverable.project,
            "target": target,
            "plan": services.migration_plan(deliverable, target),
        },
    )
