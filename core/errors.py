class DomainError(Exception):
    """A workflow step refused because of the state of the objects; its message is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
