from core.errors import DomainError


class MethodError(DomainError):
    """A change refused by a tool's rule; its message is French and shown on the form."""
