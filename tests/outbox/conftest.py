import pytest

from outbox import registry
from outbox.registry import Message

KIND = "tests.greeting"


@pytest.fixture
def greeting(monkeypatch):
    """A kind of e-mail registered for the test only: it greets the address it was queued for, and sends
    nothing once its `params` say "cancelled"."""
    rendered = []

    def render(email):
        rendered.append(email.pk)
        if email.params.get("cancelled"):
            return None
        return Message(to=[email.to], subject="Bonjour", text=f"Bonjour {email.to}", html="<p>Bonjour</p>")

    monkeypatch.setitem(registry._renderers, KIND, render)
    render.kind = KIND
    render.calls = rendered
    return render
