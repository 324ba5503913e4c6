from core.errors import DomainError


class MethodError(DomainError):
    """A change refused by a tool's rule; its message is French and shown on the form, beside `field` when
    the rule is about one field (the form's field of the same name), above the form otherwise."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field
