"""The one exception hierarchy of the package.

    ActivitiesError           every error a user can act on (the CLI prints it, exit 1)
    ├── ConfigError           bad settings, environment or credentials
    │   └── FolderError       the definitions folder is missing or unreadable (carries a Problem)
    ├── DefinitionError       definition files break the format or a rule (carries Problems)
    ├── PlanError             a plan cannot be made, read or applied
    │   ├── RefusedError      the plan would break a rule (protect, destructive, a Marketo limit)
    │   └── StalePlanError    the live state moved since the plan was made
    ├── ReadOnlyError         a read-only client (drift) was asked to change the instance
    └── MarketoError          Marketo answered with an error (code, message, endpoint, requestId)
        ├── AuthenticationError    identity refused the credentials (HTTP 401), or 601/602 persisted
        ├── QuotaExceededError     607: the daily quota is spent; resets at midnight US Central
        ├── TransientError         retries ran out on 502, 604, 606, 608, 611, 615, 713, network
        └── ResponseLostError      the request may have been executed but no answer arrived

Anything else escaping to the CLI is a bug and is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass


class ActivitiesError(Exception):
    """An error the user can act on; its text says what, where and how to fix it."""


class ConfigError(ActivitiesError):
    """Settings, environments or credentials are missing or wrong."""


@dataclass(frozen=True, order=True)
class Problem:
    """One rule broken in one place of one definition file."""

    path: str
    line: int
    column: int
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"
        return f"{where}\n  fix: {self.fix}" if self.fix else where


class FolderError(ConfigError):
    """The definitions folder is missing, not a folder, or unreadable.

    `problem` says the same as data, so `validate --json` can report it as JSON."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(f"{problem.message}\n  fix: {problem.fix}")


class DefinitionError(ActivitiesError):
    """Definition files are invalid; `problems` lists every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the definition files"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class PlanError(ActivitiesError):
    """A plan cannot be made, read or applied."""


class RefusedError(PlanError):
    """The plan would break a rule; nothing was changed."""


class StalePlanError(PlanError):
    """The live instance changed since the plan was made."""


class FileAccessError(ActivitiesError):
    """A file the command reads or writes cannot be read or written (permissions, encoding)."""


class ReadOnlyError(ActivitiesError):
    """A client opened read-only was asked for a call that changes the instance; none was sent."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        super().__init__(
            f"refused to call {endpoint}: this client is read-only and never changes the "
            "instance; nothing was sent\n  fix: this is a bug in activities; please report it"
        )


class MarketoError(ActivitiesError):
    """Marketo answered a call with an error."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        endpoint: str = "",
        request_id: str | None = None,
        may_have_happened: bool = False,
    ) -> None:
        self.code = code
        self.marketo_message = message
        self.endpoint = endpoint
        self.request_id = request_id
        # The one answer to "may the call have been executed?": always for ResponseLostError,
        # and for a mutating call whose error followed a gateway error that may hide a success.
        self.may_have_happened = may_have_happened
        parts = [f"Marketo error {code}: {message}" if code else message]
        if endpoint:
            parts.append(f"endpoint {endpoint}")
        if request_id:
            parts.append(f"requestId {request_id}")
        super().__init__(
            " (".join([parts[0], ", ".join(parts[1:]) + ")"]) if len(parts) > 1 else parts[0]
        )


class AuthenticationError(MarketoError):
    """The identity service refused the credentials, or tokens kept being rejected."""


class QuotaExceededError(MarketoError):
    """607: the daily quota is spent; it resets at midnight US Central time."""


class TransientError(MarketoError):
    """A retryable failure persisted past the retry budget."""


class ResponseLostError(MarketoError):
    """The request was sent but its answer was lost: it may have been executed, always."""

    def __init__(self, message: str, **kwargs: object) -> None:
        kwargs["may_have_happened"] = True
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
