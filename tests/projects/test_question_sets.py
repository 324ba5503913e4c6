"""Versions of the deliverables' questions: drafted as a copy of the version in force, reworded, added,
removed, reordered, previewed and published (then immutable); a draft note moved to the new version by its
team, answers following their question by key, the answers of removed questions kept and shown; submitted
and validated notes, their comparisons and their PDFs keep their own questions."""

import pytest
from django.urls import reverse

from core.audit import history_of
from core.errors import DomainError
from documents.rendering import note_html
from projects import services
from projects.models import Answer, DeliverableKind, DeliverableStatus, QuestionSet

pytestmark = pytest.mark.django_db


def _rows(question_set):
    return [
        {
            "key": q.key,
            "text": q.text,
            "help_text": q.help_text,
            "is_required": q.is_required,
            "structured_part": q.structured_part,
        }
        for q in question_set.questions.all()
    ]


def _new_intention(world, title="Un tiers-lieu de la transition"):
    project = services.project_create(actor=world.users["agent"], territory=world.territory, title=title)
    deliverable = project.deliverables.get(kind=DeliverableKind.INTENTION)
    for question in deliverable.question_set.questions.all():
        services.answer_save(
            actor=world.users["agent"],
            deliverable=deliverable,
            question=question,
            text=f"Réponse à la question {question.number}.",
            base_version=0,
        )
    return deliverable


def _publish_v2(world):
    """Intention v2: question 2 reworded, question 3 removed, a new question, question 4 moved first."""
    draft = world.question_set_draft
    q1, q2, _q3, q4 = _rows(draft)
    q2 = {**q2, "text": "Quels enjeux, pour qui, sur le territoire ?"}
    new = {
        "key": "",
        "text": "Qui porte le projet ?",
        "help_text": "",
        "is_required": False,
        "structured_part": "",
    }
    services.question_set_save(
        actor=world.users["admin"],
        question_set=draft,
        purpose="Valider l'approche collective",
        note="La question sur le diagnostic rejoint la page du projet.",
        questions=[q4, q1, q2, new],
    )
    return services.question_set_publish(actor=world.users["admin"], question_set=draft)


def test_a_new_version_is_drafted_as_a_copy_of_the_one_in_force(world):
    current = QuestionSet.objects.get(kind="intention", is_current=True)
    draft = world.question_set_draft
    assert draft.is_draft and not draft.is_current and draft.version == current.version + 1
    assert _rows(draft) == _rows(current)
    # Asking again returns the open draft rather than a second one.
    assert services.question_set_draft(actor=world.users["admin"], kind="intention") == draft


def test_the_draft_is_edited_through_the_form_then_previewed(world, client_for):
    draft = world.question_set_draft
    client = client_for("facilitator")  # given the right in the test world
    form = client.get(reverse("projects:question_set_edit", args=[draft.pk]))
    assert form.status_code == 200
    rows = _rows(draft)
    data = {
        "purpose": "Valider l'approche collective",
        "note": "",
        "questions-TOTAL_FORMS": str(len(rows) + 1),
        "questions-INITIAL_FORMS": str(len(rows)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "40",
    }
    for index, row in enumerate(rows):
        data.update(
            {
                f"questions-{index}-key": row["key"],
                f"questions-{index}-text": row["text"],
                f"questions-{index}-help_text": row["help_text"],
                f"questions-{index}-is_required": "on",
                f"questions-{index}-structured_part": row["structured_part"],
                f"questions-{index}-order": str(index + 1),
            }
        )
    data["questions-0-order"] = "9"  # the first question goes last
    data["questions-2-remove"] = "on"  # the third is removed
    data["questions-1-text"] = "Les enjeux, reformulés."
    data.update({"questions-4-text": "Une question ajoutée", "questions-4-order": "5", "questions-4-key": ""})
    response = client.post(reverse("projects:question_set_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:question_set_detail", args=[draft.pk])
    texts = list(draft.questions.values_list("key", "number", "text"))
    assert [k for k, _n, _t in texts][:2] == ["q2", "q4"]
    assert texts[0][2] == "Les enjeux, reformulés."
    assert texts[2][2] == "Une question ajoutée" and texts[2][0] not in ("q1", "q2", "q3", "q4")
    assert texts[3][0] == "q1" and len(texts) == 4
    preview = client.get(reverse("projects:question_set_detail", args=[draft.pk])).content.decode()
    assert "Aperçu" in preview and "Une question ajoutée" in preview and "Publier cette version" in preview


def test_a_published_version_never_changes(world, client_for):
    published = _publish_v2(world)
    assert published.is_current and not published.is_draft
    assert not QuestionSet.objects.get(kind="intention", version=1).is_current
    with pytest.raises(DomainError):
        services.question_set_save(
            actor=world.users["admin"],
            question_set=published,
            purpose="x",
            note="",
            questions=_rows(published),
        )
    with pytest.raises(DomainError):
        services.question_set_publish(actor=world.users["admin"], question_set=published)
    response = client_for("admin").get(reverse("projects:question_set_edit", args=[published.pk]))
    assert response["Location"] == reverse("projects:question_set_detail", args=[published.pk])
    assert "question_set.publish" in [e.action for e in history_of(published)]


def test_only_admins_and_facilitators_given_the_right_manage_the_questions(world, client_for, facilitator):
    url = reverse("projects:question_sets")
    assert client_for("admin").get(url).status_code == 200
    assert client_for("facilitator").get(url).status_code == 200
    facilitator.user_permissions.clear()
    from django.test import Client

    plain = Client()
    plain.force_login(type(facilitator).objects.get(pk=facilitator.pk))
    assert plain.get(url).status_code == 403
    assert client_for("agent").get(url).status_code == 403
    # The right given through a group counts as one given to the person.
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Rédaction des questions")
    group.permissions.add(Permission.objects.get(codename="manage_question_sets"))
    facilitator.groups.add(group)
    assert plain.get(url).status_code == 200
    assert "Les questions des livrables" in plain.get(reverse("projects:review_queue")).content.decode()


def test_new_notes_follow_the_published_version_and_open_drafts_keep_theirs(world):
    before = _new_intention(world)
    v2 = _publish_v2(world)
    after = _new_intention(world, title="Une autre idée")
    before.refresh_from_db()
    assert before.question_set.version == 1
    assert after.question_set == v2


def test_moving_a_draft_carries_answers_by_key_and_keeps_the_removed_questions_answer(world, client_for):
    deliverable = _new_intention(world)
    v2 = _publish_v2(world)
    client = client_for("agent")
    url = reverse("projects:deliverable_migrate", args=[deliverable.project_id, deliverable.kind])

    page = client.get(deliverable.get_absolute_url()).content.decode()
    assert "Une nouvelle version des questions (version 2) est en vigueur." in page

    review = client.get(url)
    assert review.status_code == 200
    plan = review.context["plan"]
    assert [(b.key, a.key) for b, a, _answer in plan.moves] == [("q4", "q4"), ("q1", "q1"), ("q2", "q2")]
    assert [q.text for q in plan.new] == ["Qui porte le projet ?"]
    assert [(q.key, a.text) for q, a in plan.left_behind] == [("q3", "Réponse à la question 3.")]
    text = review.content.decode()
    assert "3 réponses suivent leur question" in text and "1 réponse laissée de côté" in text

    assert client.post(url).status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.question_set == v2
    answers = {
        a.question.key: a.text
        for a in Answer.objects.filter(deliverable=deliverable, question__question_set=v2)
    }
    assert answers == {
        "q4": "Réponse à la question 4.",
        "q1": "Réponse à la question 1.",
        "q2": "Réponse à la question 2.",
    }
    # The removed question's answer is kept, shown apart on the note's page and named in its history.
    kept = Answer.objects.get(deliverable=deliverable, question__key="q3")
    assert kept.text == "Réponse à la question 3." and kept.question.question_set.version == 1
    page = client.get(deliverable.get_absolute_url()).content.decode()
    assert "Réponses à des questions retirées" in page and "Réponse à la question 3." in page
    assert "Une nouvelle version des questions" not in page
    entry = history_of(deliverable).filter(action="deliverable.migrate_questions").get()
    assert entry.data["left_behind"][0]["key"] == "q3"
    assert entry.data["from_version"] == 1 and entry.data["to_version"] == 2
    # The note is written on: the new question takes an answer, and it can be submitted.
    new_question = v2.questions.get(text="Qui porte le projet ?")
    services.answer_save(
        actor=world.users["agent"],
        deliverable=deliverable,
        question=new_question,
        text="Le Pôle.",
        base_version=0,
    )
    version = services.deliverable_submit(actor=world.users["agent"], deliverable=deliverable)
    assert [q["key"] for q in version.content["questions"]] == ["q4", "q1", "q2", new_question.key]
    assert version.content["purpose"] == "Valider l'approche collective"


def test_submitted_and_validated_notes_do_not_move(world, client_for):
    _publish_v2(world)
    world.intention.refresh_from_db()
    world.cadrage.refresh_from_db()
    for deliverable in (world.intention, world.cadrage):  # validated, submitted in the test world
        assert deliverable.status in (DeliverableStatus.VALIDATED, DeliverableStatus.SUBMITTED)
        with pytest.raises(DomainError):
            services.deliverable_migrate_questions(
                actor=world.users["agent"],
                deliverable=deliverable,
                target=QuestionSet.objects.get(kind="intention", is_current=True),
            )
    response = client_for("elu").get(
        reverse("projects:deliverable_migrate", args=[world.intention.project_id, "intention"])
    )
    assert response.status_code == 403  # the élu reads the project, never writes


def test_an_old_versions_pdf_keeps_its_own_questions_and_purpose(world):
    world.intention.refresh_from_db()
    version = world.intention.versions.get()
    before = note_html(deliverable=world.intention, content=version.content, version=version, is_draft=False)
    draft = _new_intention(world)
    _publish_v2(world)
    services.deliverable_migrate_questions(
        actor=world.users["agent"],
        deliverable=draft,
        target=QuestionSet.objects.get(kind="intention", is_current=True),
    )
    world.intention.refresh_from_db()
    after = note_html(deliverable=world.intention, content=version.content, version=version, is_draft=False)
    assert after == before
    assert "Le projet correspond-il à une recommandation émise lors du diagnostic ?" in after
    assert "Qui porte le projet ?" not in after


def test_the_method_questions_are_keyed_by_number():
    current = QuestionSet.objects.get(kind="cadrage", is_current=True)
    assert [q.key for q in current.questions.all()] == ["q1", "q2", "q3", "q4", "q5"]
    assert current.published_at is not None


def test_the_questions_are_shown_in_english_to_english_readers_with_french_as_the_fallback(world):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(world.users["agent"])
    url = world.draft.get_absolute_url()  # a note de faisabilité being written
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "What human, technical and financial means are to be mobilised internally?" in english
    assert "Quels sont les moyens humains, techniques et financiers à mobiliser en interne" not in english
    assert "Define the project&#x27;s implementation strategy" in english or "Define the project" in english

    # A question without an English text is shown in French.
    world.draft.question_set.questions.filter(key="q1").update(text_en="")
    english = client.get(url).content.decode()
    assert "Quels sont les moyens humains, techniques et financiers à mobiliser en interne ?" in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(url).content.decode()
    assert "What human, technical" not in french


def test_a_submitted_version_is_reviewed_with_its_own_questions_in_the_readers_language(world, client_for):
    from django.conf import settings

    cadrage = world.cadrage  # submitted: its review shows the version's snapshot
    client = client_for("facilitator")
    url = reverse("projects:review", args=[cadrage.project_id, cadrage.kind])
    version_url = reverse("projects:version", args=[cadrage.project_id, cadrage.kind, 1])

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for page in (client.get(url).content.decode(), client.get(version_url).content.decode()):
        assert "Who are the direct and indirect stakeholders?" in page
        assert "Quelles sont les parties prenantes directes et indirectes" not in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Quelles sont les parties prenantes directes et indirectes ?" in client.get(url).content.decode()
