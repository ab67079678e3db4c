"""The one error the rules raise: a value that the rules cannot accept, and where it is."""

from __future__ import annotations


class RuleError(ValueError):
    """A problem with an input to the rules, located by a path such as `ballots[17].marks.c9`."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem
