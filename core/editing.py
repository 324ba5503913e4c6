"""The one way a view saves a form: the form is cleaned, the view's own service is called with what it
holds, and a refusal of the service (a DomainError) comes back on the form, beside what was typed."""

from collections.abc import Callable

from .errors import DomainError


def posted(request):
    """The data to bind a form to: the POST, even an empty one (so that its required fields say what is
    missing), None on a GET (the form then shows its initial values)."""
    return request.POST if request.method == "POST" else None


def submit(request, form, save: Callable) -> tuple[bool, object]:
    """`(True, what save returned)` once a posted form is valid and `save(form.cleaned_data)` (the view's
    service call) went through; `(False, None)` on a GET, on an invalid form, or on a refusal, which is then
    the form's error for the page to show (beside the field it names, if it names one)."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, save(form.cleaned_data)
    except DomainError as refused:
        form.add_error(refused.field, refused.message)
        return False, None
