"""The one way a view saves a form: core.editing."""

from django import forms
from django.test import RequestFactory

from core.editing import posted, submit
from core.errors import DomainError


class NumberForm(forms.Form):
    number = forms.IntegerField()


class NumberTaken(DomainError):
    field = "number"


def _post(data):
    return RequestFactory().post("/", data)


def _refuse(error):
    def save(data):
        raise error

    return save


def test_a_get_shows_the_form_without_calling_the_service():
    request = RequestFactory().get("/")
    form = NumberForm(posted(request))
    assert not form.is_bound
    assert submit(request, form, _refuse(AssertionError("the service is not called"))) == (False, None)


def test_an_empty_post_binds_the_form_so_that_its_required_fields_say_what_is_missing():
    request = _post({})
    form = NumberForm(posted(request))
    assert submit(request, form, _refuse(AssertionError("the service is not called"))) == (False, None)
    assert form.errors["number"]


def test_a_valid_post_gives_what_the_service_returned():
    request = _post({"number": "3"})
    assert submit(request, NumberForm(posted(request)), lambda data: data["number"] * 2) == (True, 6)


def test_a_refusal_comes_back_on_the_form_and_beside_the_field_it_names():
    request = _post({"number": "3"})
    form = NumberForm(posted(request))
    assert submit(request, form, _refuse(DomainError("Refusé."))) == (False, None)
    assert form.non_field_errors() == ["Refusé."]

    form = NumberForm(posted(request))
    assert submit(request, form, _refuse(NumberTaken("Ce numéro existe déjà."))) == (False, None)
    assert form.errors["number"] == ["Ce numéro existe déjà."] and not form.non_field_errors()
