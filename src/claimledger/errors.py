"""The one error shape: what went wrong, and where (file and line) when that is known."""

from __future__ import annotations


class ClaimledgerError(Exception):
    """An error a user must read: a plain message, and the file and line it concerns."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "error": self.message}

    @classmethod
    def of_document(cls, message: str, source_path: str | None, input_kind: str | None = None):
        """The error of one document, located by its `source_path` (for a JSON Lines
        document "file:line", split into path and line)."""
        if input_kind == "jsonl" and source_path:
            path, _, line = source_path.rpartition(":")
            if path and line.isdigit():
                return cls(message, path=path, line=int(line))
        return cls(message, path=source_path)


class InputError(ClaimledgerError):
    """A document that cannot be read: empty, binary, malformed, unsafe."""


class ExtractionError(ClaimledgerError):
    """A document the extractors could not process (a bug to report, with the file)."""


class BudgetExceeded(ExtractionError):
    """A document over the size or the time one document may take (settings
    `max_document_chars`, `document_time_budget_seconds`): it fails alone, the rest go on."""


class StoreError(ClaimledgerError):
    """The ledger database cannot be opened or written."""


class NotFound(ClaimledgerError):
    """A document, claim, group or source that is not in the ledger."""
