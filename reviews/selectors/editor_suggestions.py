"""Action-editor suggestions for the chief: every AE of the venue, ranked by topic match.

The same affinity engine as for reviewers, over the AEs' publications, with what a chief
weighs before assigning: each AE's open papers against their quota, whether they are away,
their conflicts of interest with the paper (with the reasons), and whether the authors
suggested them. Eligible AEs (available, under quota, no conflict) come first.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from journal.enums import RoleKind, SubmissionState
from journal.models import Submission, User, VenueRole
from journal.selectors.availability import Away, roles_away
from reviews.selectors.conflicts import conflict_reasons
from reviews.selectors.expertise import reviewer_documents, submission_text
from reviews.selectors.suggestions import affinity_model_for, closest_publication_of


@dataclass
class EditorSuggestion:
    editor: User
    affinity: float
    load: int
    quota: int | None
    away: Away | None
    conflicts: list[str] = field(default_factory=list)
    suggested_by_authors: bool = False
    closest_publication: str = ""
    shared_terms: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.away is None

    @property
    def unavailable_until(self) -> date | None:
        return self.away.ends_on if self.away is not None else None

    @property
    def is_full(self) -> bool:
        return self.quota is not None and self.load >= self.quota

    @property
    def eligible(self) -> bool:
        return self.available and not self.is_full and not self.conflicts


def submission_editor_suggestions(
    *, submission: Submission, top_terms: int = 6, explain: int | None = None
) -> list[EditorSuggestion]:
    """Return every action editor of the paper's venue (never its authors), ranked: the
    eligible ones by affinity first, then the others by affinity.

    Each is explained by their closest publication and the terms they share with the paper;
    with `explain`, only the first `explain` of the ranking are (a page showing the top of
    hundreds of area chairs reads no more).
    """
    venue = submission.venue
    authors = set(submission.authors.exclude(user=None).values_list("user_id", flat=True))
    roles = [
        role
        for role in VenueRole.objects.filter(
            venue=venue, role=RoleKind.ACTION_EDITOR, user__is_active=True
        ).select_related("user")
        if role.user_id not in authors
    ]
    if not roles:
        return []
    editors = [role.user for role in roles]
    loads = dict(
        Submission.objects.filter(
            venue=venue, action_editor__in=editors, state__in=list(SubmissionState.OPEN)
        )
        .values_list("action_editor")
        .annotate(n=Count("pk", filter=Q(state__in=list(SubmissionState.OPEN))))
        .order_by()
    )
    today = timezone.localdate()
    away = roles_away(roles=roles, start=today, end=today)
    reasons = conflict_reasons(submission=submission, people=editors)
    suggested = set(submission.suggested_action_editors.values_list("pk", flat=True))
    paper = submission_text(submission)
    documents = reviewer_documents(user_ids=[e.pk for e in editors])
    model = affinity_model_for(paper, [documents.get(e.pk, []) for e in editors])
    texts = [[text for _, text in documents.get(e.pk, [])] for e in editors]
    row = model.affinity([paper], texts)[0]
    suggestions = []
    for j, role in enumerate(roles):
        suggestions.append(
            EditorSuggestion(
                editor=role.user,
                affinity=float(row[j]),
                load=loads.get(role.user_id, 0),
                quota=role.load_quota,
                away=away.get(role.user_id),
                conflicts=[r.message for r in reasons[j]],
                suggested_by_authors=role.user_id in suggested,
            )
        )
    suggestions.sort(key=lambda s: (not s.eligible, -s.affinity, s.load, s.editor.pk))
    for suggestion in suggestions[:explain]:
        docs = documents.get(suggestion.editor.pk, [])
        title, _, terms = closest_publication_of(model, paper, docs, top_terms)
        suggestion.closest_publication, suggestion.shared_terms = title, terms
    return suggestions
