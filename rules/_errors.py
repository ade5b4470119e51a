"""The one exception a bad rule file produces."""

from __future__ import annotations

from pathlib import Path

__all__ = ["RuleError"]


class RuleError(Exception):
    """A problem in a rule file or catalog.yaml.

    ``str()`` reads ``ita-2566/o18.yaml:12: find.keyword: unknown field (did you
    mean 'keywords'?)``: the file (catalog folder and name), the line when known,
    the field path, and what is wrong.
    """

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.field = field or None
        self.line = line
        self.all_errors: list[RuleError] = [self]  # set by load_catalog: every problem found
        super().__init__(str(self))

    @property
    def file(self) -> str:
        """The file as shown in messages: ``<catalog folder>/<file name>``."""
        parent = self.path.parent.name
        return f"{parent}/{self.path.name}" if parent else self.path.name

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: {self.problem}" if self.field else self.problem
        return f"{where}: {what}"

    def __repr__(self) -> str:
        return f"RuleError({str(self)!r})"
