"""Domain errors: raised by services, shown to people as they are (views answer 4xx)."""


class DomainError(Exception):
    """A request the domain refuses; `message` is written for the person who asked."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class FieldErrors(DomainError):
    """Several problems found at once: `errors` maps each field to its messages, in the
    order a person reads them (pages list them all; the API answers them in one 400)."""

    def __init__(self, message: str, *, errors: dict[str, list[str]]) -> None:
        super().__init__(message, field=next(iter(errors), None))
        self.errors = errors


class TransitionError(DomainError):
    """A workflow transition that the current state or a guard does not allow."""

    status_code = 409


class DeadlineError(TransitionError):
    """A transition refused because a venue deadline has passed."""


class FileCheckError(DomainError):
    """An uploaded file that is not what the venue accepts."""


class AnonymityError(FileCheckError):
    """A paper for a double-blind venue whose files identify its authors.

    `findings` lists what was found, in the words a person would look for
    ("Author name 'Ada Lovelace' on page 1").
    """

    def __init__(self, message: str, *, findings: list[str], field: str | None = "pdf") -> None:
        super().__init__(message, field=field)
        self.findings = findings
