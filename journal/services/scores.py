"""Keep each paper's mean overall score as data (`Submission.score_mean`).

One UPDATE with the score's SQL expression (`journal.selectors.scores.paper_score`), for one
paper when a review of it is submitted or edited, for a whole venue when the scoring of its
review form changes. Tables then sort and filter on an indexed column.
"""

from collections.abc import Iterable

from journal.models import Submission, Venue
from journal.selectors.scores import paper_score


def paper_scores_refresh(*, venue: Venue, submission_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored score of `venue`'s papers (all, or `submission_ids`)."""
    papers = Submission.objects.filter(venue=venue)
    if submission_ids is not None:
        papers = papers.filter(pk__in=list(submission_ids))
    return papers.update(score_mean=paper_score(venue=venue))
