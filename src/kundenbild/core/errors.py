"""The one exception type that services raise for problems a user can fix."""

from __future__ import annotations

from django.utils.functional import Promise


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
