"""The form renderer written in Python gives the HTML of the project's form templates, in every state of a
form: unbound, bound and valid, bound with errors on fields and on the form, with help texts, required marks,
hidden fields, a fieldset and values to escape."""

import re

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test.signals import template_rendered
from django.utils.safestring import mark_safe

from core.form_renderer import PlainRenderer
from projects.project_forms import ProjectFilterForm
from projects.review_forms import DecisionForm
from territories.models import Territory

QUOTED = 'L\'« équipe » <b>&</b> "co"'


class SampleForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=20, help_text=mark_safe("Court, <em>20</em> signes"))
    count = forms.IntegerField(label="Nombre", required=False, min_value=1)
    email = forms.EmailField(label="Courriel ?", required=False)
    agreed = forms.BooleanField(label="D'accord", required=False)
    kind = forms.ChoiceField(label="Sorte", choices=[("a", "A"), ("b", "B <b>")], required=False)
    tags = forms.MultipleChoiceField(
        label="Étiquettes",
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def clean(self):
        if self.cleaned_data.get("title") == "refusé":
            raise forms.ValidationError("Ce titre est refusé <tout court>.")
        return self.cleaned_data


def _collapsed(html) -> str:
    """The HTML with each run of whitespace as one space: what a browser makes of it between tags."""
    return re.sub(r"\s+", " ", str(html)).strip()


def _both(form_class, *args, **kwargs) -> tuple[str, str]:
    by_templates = form_class(*args, renderer=TemplatesSetting(), **kwargs)
    in_python = form_class(*args, renderer=PlainRenderer(), **kwargs)
    return _collapsed(by_templates), _collapsed(in_python)


SAMPLE_STATES = {
    "unbound": None,
    "valid": {"title": "Un titre", "count": "3", "agreed": "on", "kind": "b", "tags": ["x"], "token": "t"},
    "field errors": {"title": "", "count": "0", "email": QUOTED, "kind": "z", "tags": ["w"], "notes": QUOTED},
    "form error": {"title": "refusé", "token": QUOTED},
    "values to escape": {"title": QUOTED[:20], "email": "a@b.fr", "notes": QUOTED},
}


@pytest.mark.parametrize("state", SAMPLE_STATES)
def test_a_form_renders_as_its_templates_do_in_every_state(state):
    by_templates, in_python = _both(SampleForm, SAMPLE_STATES[state], auto_id="sample_%s")
    assert in_python == by_templates


def test_a_form_without_ids_renders_its_labels_bare_as_the_templates_do():
    by_templates, in_python = _both(SampleForm, {"title": ""}, auto_id=False)
    assert in_python == by_templates


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["unbound", "chosen", "unknown choices"])
def test_the_filters_of_the_project_lists_render_as_their_templates_do(state, world):
    data = {
        "unbound": None,
        "chosen": {"q": "mobilité", "theme": "energie", "territory": str(world.territory.pk)},
        "unknown choices": {"q": QUOTED, "theme": "inconnue", "territory": "x", "stage": "z"},
    }[state]
    # Every filter, the stage's select (Django's template, handed over) included.
    by_templates, in_python = _both(
        ProjectFilterForm, data, territories=Territory.objects.all(), auto_id="filter_%s"
    )
    assert in_python == by_templates
    assert ('aria-invalid="true"' in in_python) is (state == "unknown choices")


@pytest.mark.django_db
def test_the_review_queues_filters_render_without_a_single_template(world):
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    form = ProjectFilterForm(
        {"theme": "inconnu"},
        territories=Territory.objects.all(),
        exclude=("stage", "facilitator"),
        auto_id="f_%s",
    )
    template_rendered.connect(record)
    try:
        html = str(form)
    finally:
        template_rendered.disconnect(record)
    assert 'id="f_theme_error"' in html and 'id="f_q"' in html
    assert rendered == []


DECISIONS = [
    None,
    {"decision": "request_changes", "message": "", "version": "1"},
    {"decision": "z", "message": QUOTED},
]


@pytest.mark.parametrize("data", DECISIONS)
def test_the_review_decision_renders_its_field_groups_as_their_templates_do(data):
    # As the deliverable's page shows it: one field group at a time, the hidden version apart.
    forms_ = [DecisionForm(data, renderer=renderer) for renderer in (TemplatesSetting(), PlainRenderer())]
    for name in ("decision", "message"):
        by_templates, in_python = (_collapsed(form[name].as_field_group()) for form in forms_)
        assert in_python == by_templates
    assert _collapsed(forms_[1]) == _collapsed(forms_[0])
