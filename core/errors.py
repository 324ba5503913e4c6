class DomainError(Exception):
    """A workflow step refused because of the state of the objects; its message is shown to the user."""

    # The form field the refusal is about, shown beside it by core.editing.submit; None for the whole form.
    field: str | None = None

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class LoginRequired(Exception):
    """Raised by an access helper when what is asked for is open to signed-in members only and nobody is
    signed in: the login guard answers it (core.middleware.LoginGuardMiddleware)."""
