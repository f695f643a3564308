"""The affinity models read rendered plain text: LaTeX macro names are never shared expertise."""

import pytest

from reviews.matching.affinity import AffinityModel
from reviews.matching.explain import explain_pair
from reviews.selectors.expertise import reviewer_documents, submission_text
from tests.reviews.assignment.venue import SmallVenue, add_paper, add_reviewer, small_venue

pytestmark = pytest.mark.django_db

MACROS = ("mathcal", "times", "kappa", "frac", "mathbb", "emph")


def macro_only_venue() -> SmallVenue:
    """A paper on graphs and a reviewer on privacy whose texts share only LaTeX macros."""
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["privacy", "bandits"])
    paper = small.papers[0]
    paper.title = "Message passing networks"
    paper.abstract += " We bound it by $\\mathcal{O}(n \\times \\kappa)$ and $$\\frac{1}{2}$$."
    paper.keywords = [*paper.keywords, "\\emph{message passing}"]
    paper.save(update_fields=["title", "abstract", "keywords"])
    for publication in small.reviewers[0].publications.all():
        publication.abstract += " The budget is $\\mathcal{B} \\times \\kappa + \\frac{a}{b}$."
        publication.save(update_fields=["abstract"])
    return small


def test_paper_text_for_the_model_has_no_macro_names():
    small = macro_only_venue()
    text = submission_text(small.papers[0])
    assert "Message passing networks" in text and "node classification" in text
    assert not any(macro in text for macro in MACROS)


def test_reviewer_texts_for_the_model_have_no_macro_names():
    small = macro_only_venue()
    documents = reviewer_documents(user_ids=[small.reviewers[0].pk])[small.reviewers[0].pk]
    assert documents and all("clipped gradients" in text for _, text in documents)
    assert not any(macro in text for _, text in documents for macro in MACROS)


def test_papers_and_reviewers_sharing_only_macros_share_no_tfidf_term():
    small = macro_only_venue()
    paper = submission_text(small.papers[0])
    documents = reviewer_documents(user_ids=[r.pk for r in small.reviewers])
    texts = [text for r in small.reviewers for _, text in documents[r.pk]]
    model = AffinityModel(min_df=1, max_df=1.0).fit([paper, *texts])
    vocabulary = set(model.feature_names())
    assert not vocabulary & set(MACROS)
    privacy = [text for _, text in documents[small.reviewers[0].pk]]
    explanation = explain_pair(paper, privacy, model=model, top_terms=10)
    assert explanation.shared_terms == ()


def test_an_on_topic_paper_still_shares_its_words():
    small = small_venue(paper_topics=[], reviewer_topics=["graphs"])
    add_reviewer(small, "privacy")
    paper = add_paper(small, "graphs")
    documents = reviewer_documents(user_ids=[small.reviewers[0].pk])[small.reviewers[0].pk]
    model = AffinityModel(min_df=1, max_df=1.0).fit(
        [submission_text(paper), *(t for _, t in documents)]
    )
    explanation = explain_pair(
        submission_text(paper), [t for _, t in documents], model=model, top_terms=5
    )
    assert "graph" in " ".join(term for term, _ in explanation.shared_terms)
