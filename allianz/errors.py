"""One error hierarchy for every refusal a user can meet.

Services raise these with a German message; pages and the CLI show the message as it is, and
tests assert the specific class, so a validation bug can never pass as a permission refusal.
`DomainError` derives from ValueError because callers of the standard library's parsers
(dates, numbers) already treat bad input that way.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A refusal worded for the user; `errors` holds one German sentence per problem."""

    def __init__(self, errors: str | list[str] | tuple[str, ...]):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors))


class ValidationError(DomainError):
    """The input breaks a rule (missing, too long, out of range, wrong format)."""


class NotFound(DomainError):
    """The thing asked for does not exist (or no longer exists)."""


class Conflict(DomainError):
    """The request clashes with the current state (already done, changed meanwhile)."""


class Busy(Conflict):
    """The database stayed locked by other writers for the whole busy timeout: far more
    people write at once than the server carries. Nothing was written; trying again helps."""

    def __init__(self) -> None:
        super().__init__(
            "Gerade speichern sehr viele Menschen gleichzeitig. Es wurde nichts gespeichert; "
            "bitte versuchen Sie es in einem Moment noch einmal."
        )


class PermissionDenied(DomainError):
    """The role or municipality of the user does not allow this action."""
