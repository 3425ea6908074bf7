"""User-facing errors: bad input files, bad rule files, bad options.

Each carries where (path, line or page), what was expected, and a hint. The CLI prints
one line for them and exits 2. Anything else escaping is a bug (traceback under --debug).
Findings are never exceptions.
"""

from __future__ import annotations


class BudgetAuditError(Exception):
    """Base class for errors caused by the user's input, not by a bug."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def where(self) -> str:
        return ""

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}（{self.hint}）" if self.hint else text


class InputError(BudgetAuditError):
    """A document that cannot be read: missing, empty, corrupt, encrypted, scanned."""

    def __init__(
        self, path: str, message: str, *, page: int | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.page = page

    def where(self) -> str:
        return f"{self.path}:第{self.page}页" if self.page else self.path


class RulebookError(BudgetAuditError):
    """A rule file that does not validate; points at file:line."""

    def __init__(
        self,
        path: str,
        line: int | None,
        message: str,
        *,
        hint: str | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line
        self.column = column

    def where(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")


class UsageError(BudgetAuditError):
    """A bad command-line option or configuration value."""
