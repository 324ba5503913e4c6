"""Every text a person writes has a length limit: in the model (so every ModelForm, the admin and full_clean
enforce it) and in every form that takes it, never above the model's. A diagnostic recommendation of
1,000,000 characters was accepted before."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from core.bounds import TEXT
from territories.models import Recommendation

ROOT = Path(__file__).resolve().parent.parent
PROJECT_APPS = {
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
}
# Texts the platform writes itself, never a person: an e-mail's rendered parts and its last error, a PDF's
# source HTML and its rendering error, a session's encoded data. Their size follows the platform's content.
WRITTEN_BY_THE_PLATFORM = {
    "outbox.OutgoingEmail.text",
    "outbox.OutgoingEmail.html",
    "outbox.OutgoingEmail.last_error",
    "documents.Document.source_html",
    "documents.Document.error",
    "accounts.Session.session_data",
}

# Form fields whose limit is a setting, checked by the service with its own message (covered by
# tests/projects/test_deliverable_autosave.py); the model's limit is the setting's default.
BOUNDED_BY_THEIR_SERVICE = {
    "projects.forms.AnswerForm.text": "projects.services._check_answer (ANSWER_MAX_CHARS)",
}


def _text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field.model is model:
                yield f"{model._meta.label}.{field.name}", field


def _form_classes():
    """Every form class the project's apps define, in any module whose name holds « form »."""
    for label in sorted(PROJECT_APPS):
        package = apps.get_app_config(label).module
        names = [package.__name__]
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if "form" in info.name.rsplit(".", 1)[-1] or info.name.endswith(".forms"):
                names.append(info.name)
        for name in names:
            module = importlib.import_module(name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == name:
                    yield value


def test_every_text_field_a_person_writes_has_a_length_limit():
    unbounded = [name for name, field in _text_fields() if field.max_length is None]
    assert sorted(set(unbounded) - WRITTEN_BY_THE_PLATFORM) == []
    # The exceptions are real fields still: a stale entry fails here.
    assert {name for name, _field in _text_fields()} >= WRITTEN_BY_THE_PLATFORM


def test_every_bounded_text_field_is_bounded_in_the_database_too():
    # PostgreSQL's text has no bound of its own: core.bounds.text_length is the database's half.
    missing = []
    for name, field in _text_fields():
        if field.max_length is None:
            continue
        meta = field.model._meta
        wanted = f"{meta.app_label}_{meta.model_name}_{field.name}_length"
        if wanted not in {constraint.name for constraint in meta.constraints}:
            missing.append(name)
    assert missing == []


def test_the_database_refuses_a_text_longer_than_its_limit(world):
    recommendation = world.recommendation
    limit = Recommendation._meta.get_field("text").max_length
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=recommendation.pk).update(text="x" * (limit + 1))
    Recommendation.objects.filter(pk=recommendation.pk).update(text="x" * limit)


def test_every_multi_line_form_field_has_a_length_limit():
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
        and isinstance(field.widget, forms.Textarea)
        and not field.max_length
    ]
    assert sorted(set(unbounded) - set(BOUNDED_BY_THEIR_SERVICE)) == []
    assert set(BOUNDED_BY_THEIR_SERVICE) <= set(unbounded), "a stale exception"


def test_no_model_form_allows_more_than_its_model_field():
    too_long = []
    for form in _form_classes():
        model = getattr(getattr(form, "_meta", None), "model", None)
        if model is None:
            continue
        for name, field in form.base_fields.items():
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a form field of its own, not the model's
                continue
            if not isinstance(model_field, models.TextField):
                continue  # a CharField's column bounds it; a form may take spaces the cleaning removes
            limit = model_field.max_length
            if (
                isinstance(field, forms.CharField)
                and limit
                and (not field.max_length or field.max_length > limit)
            ):
                too_long.append(f"{form.__name__}.{name}: {field.max_length} > {limit}")
    assert too_long == []


def test_a_recommendation_of_a_million_characters_is_refused_beside_the_field(world, client_for):
    recommendation = world.recommendation
    url = reverse(
        "territories:recommendation_edit", args=[recommendation.diagnostic.territory_id, recommendation.pk]
    )
    before = recommendation.text
    response = client_for("agent").post(url, {"number": recommendation.number, "text": "x" * 1_000_000})
    assert response.status_code in (200, 400, 422)
    page = response.content.decode()
    assert "au plus" in page and f"{TEXT:,}".replace(",", "") in "".join(
        c for c in page if c.isdigit() or c == " "
    )
    recommendation.refresh_from_db()
    assert recommendation.text == before


def test_the_limits_a_service_checks_fit_the_database(settings):
    from projects.models import Answer, Comment, PrivateNote

    assert Answer._meta.get_field("text").max_length >= settings.ANSWER_MAX_CHARS
    assert Comment._meta.get_field("body").max_length >= settings.COMMENT_MAX_CHARS
    assert PrivateNote._meta.get_field("body").max_length >= settings.COMMENT_MAX_CHARS
