"""The one exception type that services raise for problems a user can fix."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import ngettext


class ApplicationError(Exception):
    """A refusal with a message for people (already translated or lazy) and a stable code.

    Views show `message`; the API returns it as JSON with `code`, so clients can branch
    on the code while people read the message in their language.
    """

    status = 400

    def __init__(self, message: str | Promise, *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field


class PermissionDeniedError(ApplicationError):
    """The user is known but may not do this."""

    status = 403

    def __init__(self, message: str | Promise, *, code: str = "forbidden"):
        super().__init__(message, code=code)


class NotFoundError(ApplicationError):
    """The object does not exist, or the user may not know that it does."""

    status = 404

    def __init__(self, message: str | Promise, *, code: str = "not_found"):
        super().__init__(message, code=code)


class ConflictError(ApplicationError):
    """Somebody else changed the object in between; the user must reload."""

    status = 409

    def __init__(self, message: str | Promise, *, code: str = "conflict"):
        super().__init__(message, code=code)


@dataclass(frozen=True)
class Refusal:
    """Why one record of many breaks a rule: its position in the batch, the field, and a
    message for people."""

    index: int
    field: str
    message: str


class RecordsRefusedError(ApplicationError):
    """Records of a batch break the rules; none of the batch has been written."""

    status = 422

    def __init__(self, refused: list[Refusal]):
        super().__init__(
            ngettext(
                "%(count)s record is invalid; nothing has been saved. Correct it and try again.",
                "%(count)s records are invalid; nothing has been saved. Correct them and try "
                "again.",
                len(refused),
            )
            % {"count": len(refused)},
            code="records_refused",
        )
        self.refused = refused
