"""The submissions table: filters, search, sorting, paging, CSV export and query counts."""

import csv
import io

import pytest
from django.urls import reverse

from journal.enums import SubmissionState
from tests.factories import UserFactory
from tests.journal.dashboard.conftest import add_review, count_queries

S = SubmissionState


def table_url(world, suffix=""):
    return reverse("journal:dashboard-submissions", kwargs={"slug": world.venue.slug}) + suffix


def titles(response):
    return [s.title for s in response.context["page"].object_list]


@pytest.fixture
def papers(world):
    return {
        "graph": world.paper(
            S.UNDER_REVIEW,
            title="Message passing on graphs",
            abstract="Graph neural networks oversmooth.",
            keywords=("graph neural networks",),
        ),
        "diffusion": world.paper(
            S.SUBMITTED,
            title="Faster diffusion sampling",
            abstract="Fewer steps for diffusion models.",
            keywords=("diffusion models", "sampling"),
        ),
        "other": world.paper(
            S.UNDER_REVIEW,
            title="Causal discovery at scale",
            abstract="Causal graphs from data.",
            keywords=("causal inference",),
            editor=world.other_editor,
        ),
    }


def test_table_lists_scope_newest_first(client, world, papers):
    client.force_login(world.chief)
    assert titles(client.get(table_url(world))) == [
        "Causal discovery at scale",
        "Faster diffusion sampling",
        "Message passing on graphs",
    ]
    client.force_login(world.editor)
    assert titles(client.get(table_url(world))) == ["Message passing on graphs"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?state=submitted", ["Faster diffusion sampling"]),
        ("?state=submitted&state=under_review", None),
        ("?keyword=diffusion+models", ["Faster diffusion sampling"]),
        ("?keyword=diffusion", []),
        ("?editor=none", ["Faster diffusion sampling"]),
        ("?q=diffusion", ["Faster diffusion sampling"]),
        ("?q=oversmooth", ["Message passing on graphs"]),
        ("?q=%231", ["Message passing on graphs"]),
        ("?q=2", ["Faster diffusion sampling"]),
        ("?sort=title", None),
        ("?sort=-submitted", None),
    ],
)
def test_table_filters(client, world, papers, query, expected):
    client.force_login(world.chief)
    got = titles(client.get(table_url(world, query)))
    if query.startswith("?sort=title"):
        assert got == sorted(got)
    elif expected is None:
        assert len(got) == 3
    else:
        assert got == expected


def test_table_filter_by_action_editor(client, world, papers):
    client.force_login(world.chief)
    got = titles(client.get(table_url(world, f"?editor={world.other_editor.pk}")))
    assert got == ["Causal discovery at scale"]


def test_table_invalid_filter_is_ignored_and_shown(client, world, papers):
    client.force_login(world.chief)
    response = client.get(table_url(world, "?state=nonsense"))
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_table_overdue_filter(client, world, papers):
    from django.utils import timezone

    invitation = add_review(world, papers["graph"], world.reviewer, submit=False)
    client.force_login(world.chief)
    assert titles(client.get(table_url(world, "?overdue=on"))) == []
    past = timezone.now() - timezone.timedelta(days=1)
    type(invitation).objects.filter(pk=invitation.pk).update(answer_due=past)
    assert titles(client.get(table_url(world, "?overdue=on"))) == ["Message passing on graphs"]


def test_table_paginates(client, world):
    for i in range(3):
        world.paper(S.SUBMITTED, title=f"Paper {i}")
    from journal.views.dashboard import table

    client.force_login(world.chief)
    original = table.PAGE_SIZE
    table.PAGE_SIZE = 2
    try:
        first = client.get(table_url(world))
        second = client.get(table_url(world, "?page=2"))
    finally:
        table.PAGE_SIZE = original
    assert titles(first) == ["Paper 2", "Paper 1"]
    assert titles(second) == ["Paper 0"]
    assert "page=2" in first.content.decode()


def read_csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_exports_the_filtered_rows(client, world, papers):
    client.force_login(world.chief)
    url = reverse("journal:dashboard-submissions-csv", kwargs={"slug": world.venue.slug})
    response = client.get(url + "?state=under_review")
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert [r["title"] for r in rows] == ["Causal discovery at scale", "Message passing on graphs"]
    graph = rows[1]
    assert graph["state"] == "under_review"
    assert graph["keywords"] == "graph neural networks"
    assert graph["action_editor_email"] == world.editor.email
    assert graph["reviews_submitted"] == "0"
    assert graph["url"].endswith(f"/dashboard/papers/{papers['graph'].number}/")


def test_csv_neutralises_spreadsheet_formulas(client, world):
    world.paper(S.SUBMITTED, title="=HYPERLINK(1)")
    client.force_login(world.chief)
    url = reverse("journal:dashboard-submissions-csv", kwargs={"slug": world.venue.slug})
    assert read_csv(client.get(url))[0]["title"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("who", ["reviewer", "author", "stranger"])
def test_table_and_csv_refused_to_non_editors(client, world, papers, who):
    client.force_login(UserFactory() if who == "stranger" else getattr(world, who))
    assert client.get(table_url(world)).status_code == 403
    url = reverse("journal:dashboard-submissions-csv", kwargs={"slug": world.venue.slug})
    assert client.get(url).status_code == 403


def test_table_anonymous_goes_to_login(client, world):
    assert client.get(table_url(world)).status_code == 302


def test_table_query_count_constant(client, world):
    def add(n):
        for i in range(n):
            paper = world.paper(S.UNDER_REVIEW, title=f"Paper {i}", keywords=(f"k{i}",))
            if i % 3 == 0:
                add_review(world, paper, world.reviewer, submit=False)

    client.force_login(world.chief)
    add(1)
    one = count_queries(client, table_url(world, "?state=under_review&sort=-since"))
    add(49)
    assert count_queries(client, table_url(world, "?state=under_review&sort=-since")) == one


def test_score_column_matches_the_scoring_service(client, world):
    from reviews.models import Review, ReviewFormField
    from reviews.selectors.scoring import overall_score

    paper = world.paper(S.UNDER_REVIEW, title="Scored")
    add_review(world, paper, score=1)
    add_review(world, paper, score=4)
    expected = []
    for review in Review.objects.filter(submission=paper):
        fields = list(ReviewFormField.objects.filter(form_id=review.form_id))
        expected.append(overall_score(fields=fields, answers=review.submitted_answers))
    client.force_login(world.chief)
    row = client.get(table_url(world)).context["page"].object_list[0]
    assert row.score == pytest.approx(sum(expected) / len(expected))


def test_score_range_filter_and_sort(client, world):
    low = world.paper(S.UNDER_REVIEW, title="Weak")
    add_review(world, low, score=1)
    high = world.paper(S.UNDER_REVIEW, title="Strong")
    add_review(world, high, score=4)
    world.paper(S.SUBMITTED, title="Unreviewed")
    client.force_login(world.chief)
    assert titles(client.get(table_url(world, "?score_min=0.5"))) == ["Strong"]
    assert titles(client.get(table_url(world, "?score_max=0.5"))) == ["Weak"]
    ordered = titles(client.get(table_url(world, "?sort=-score")))
    assert ordered.index("Strong") < ordered.index("Weak")
    assert titles(client.get(table_url(world, "?sort=-reviews")))[-1] == "Unreviewed"
