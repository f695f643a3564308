"""Exceptions raised by the assignment engine."""

from __future__ import annotations


class MatchingError(ValueError):
    """Report invalid input to the assignment engine."""


class InfeasibleError(MatchingError):
    """Report that no assignment satisfies every constraint.

    ``constraint`` names the kind of constraint that cannot be met (for example
    ``"per_paper"``, ``"max_load"``, ``"min_load"``, ``"fixed"`` or ``"coverage"``);
    ``papers`` and ``reviewers`` list the indices involved when they are known.
    """

    def __init__(
        self,
        message: str,
        *,
        constraint: str,
        papers: tuple[int, ...] = (),
        reviewers: tuple[int, ...] = (),
    ) -> None:
        super().__init__(message)
        self.constraint = constraint
        self.papers = papers
        self.reviewers = reviewers
