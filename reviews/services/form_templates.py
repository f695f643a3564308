"""The review forms Peerless ships: plain data, installed by a data migration.

Peerless balanced is the default. Its weights make originality and the quality of the
hypothesis count at least as much as the benchmark results.
"""

from typing import Any

from reviews.selectors.forms import DEFAULT_FORM_SLUG

FIVE = [
    {"value": 1, "label": "Poor"},
    {"value": 2, "label": "Fair"},
    {"value": 3, "label": "Good"},
    {"value": 4, "label": "Very good"},
    {"value": 5, "label": "Excellent"},
]
FOUR = [
    {"value": 1, "label": "Poor"},
    {"value": 2, "label": "Fair"},
    {"value": 3, "label": "Good"},
    {"value": 4, "label": "Excellent"},
]
CONFIDENCE = [
    {"value": 1, "label": "Educated guess"},
    {"value": 2, "label": "Somewhat confident"},
    {"value": 3, "label": "Fairly confident"},
    {"value": 4, "label": "Confident"},
    {"value": 5, "label": "Certain; I checked the details"},
]
TEN = [
    {"value": 1, "label": "Very strong reject"},
    {"value": 2, "label": "Strong reject"},
    {"value": 3, "label": "Reject"},
    {"value": 4, "label": "Borderline reject"},
    {"value": 5, "label": "Borderline accept"},
    {"value": 6, "label": "Weak accept"},
    {"value": 7, "label": "Accept"},
    {"value": 8, "label": "Strong accept"},
    {"value": 9, "label": "Very strong accept"},
    {"value": 10, "label": "Award quality"},
]
RECOMMENDATIONS = [
    {"value": "accept", "label": "Accept"},
    {"value": "leaning_accept", "label": "Leaning accept"},
    {"value": "leaning_reject", "label": "Leaning reject"},
    {"value": "reject", "label": "Reject"},
]


IDEAS, BENCHMARK, OTHER = "ideas", "benchmark", "other"  # reviews.enums.CriterionAspect


def _score(
    key, label, help_text, weight, *, options=FIVE, independent=False, aspect=OTHER, **extra
):
    return {
        "key": key,
        "kind": "score",
        "label": label,
        "help_text": help_text,
        "options": options,
        "weight": weight,
        "independent": independent,
        "aspect": aspect,
        **extra,
    }


def _text(key, label, help_text, *, required=True, max_words=None, **extra):
    return {
        "key": key,
        "kind": "text",
        "label": label,
        "help_text": help_text,
        "required": required,
        "max_words": max_words,
        **extra,
    }


def _yes_no(key, label, help_text):
    return {"key": key, "kind": "yes_no", "label": label, "help_text": help_text}


PEERLESS_BALANCED: dict[str, Any] = {
    "slug": DEFAULT_FORM_SLUG,
    "name": "Peerless balanced",
    "description": (
        "Weighs originality and the quality of the hypothesis at least as much as the "
        "benchmark results."
    ),
    "fields": [
        _text(
            "summary",
            "Summary",
            "What does the paper claim and how does it test it?",
            max_words=400,
        ),
        _score(
            "originality",
            "Originality",
            "Does the paper bring a new idea, question or method, not only a new number?",
            2.0,
            aspect=IDEAS,
        ),
        _score(
            "hypothesis",
            "Quality of the hypothesis",
            "Is a hypothesis stated? Is it interesting? Is it falsifiable? Do the "
            "experiments actually test it?",
            2.0,
            aspect=IDEAS,
        ),
        _score(
            "evidence",
            "Evidence for the claims",
            "Do the results support the claims, with uncertainty and ablations where due?",
            1.5,
            aspect=BENCHMARK,
        ),
        _score(
            "benchmarks",
            "Benchmark results",
            "Strength and fairness of the comparisons, given the benchmark-claims table: "
            "tuned baselines, same budgets, honest reporting.",
            1.5,
            aspect=BENCHMARK,
        ),
        _score(
            "generalisation",
            "Generalisation",
            "Do the findings hold across tasks and datasets, or on one benchmark only?",
            1.0,
            aspect=BENCHMARK,
        ),
        _score("clarity", "Clarity", "Could a reader reproduce the argument?", 1.0),
        _score(
            "reproducibility",
            "Reproducibility",
            "Code, data, settings and seeds: could someone rerun it?",
            1.0,
        ),
        _score(
            "confidence",
            "Confidence",
            "How sure are you of your assessment?",
            0.0,
            options=CONFIDENCE,
            independent=True,
        ),
        _text("strengths", "Strengths", "What is good about the paper?", max_words=600),
        _text(
            "weaknesses",
            "Weaknesses",
            "What is missing or wrong? Judge the idea and the evidence, not only whether "
            "it is state of the art.",
            max_words=600,
        ),
        _text(
            "requested_changes",
            "Requested changes",
            "What must change for you to recommend acceptance? What would merely help?",
            max_words=600,
        ),
        {
            "key": "recommendation",
            "kind": "single_choice",
            "label": "Recommendation",
            "help_text": "Your recommendation to the editors.",
            "options": RECOMMENDATIONS,
            "visibility": "after_decision",
        },
        _text(
            "confidential",
            "Confidential comments to the editors",
            "Only the editors read this.",
            required=False,
            max_words=400,
            visibility="editors",
        ),
    ],
}

TMLR: dict[str, Any] = {
    "slug": "tmlr",
    "name": "TMLR",
    "description": "The TMLR review: two yes/no criteria and no numeric score.",
    "fields": [
        _text("summary", "Summary of contributions", "What does the submission contribute?"),
        _text(
            "strengths_weaknesses",
            "Strengths and weaknesses",
            "The strengths and weaknesses of the submission.",
        ),
        _text(
            "requested_changes",
            "Requested changes",
            "Which changes are critical to securing your recommendation, and which would "
            "simply strengthen the work?",
        ),
        _text(
            "broader_impact",
            "Broader impact concerns",
            "Ethical concerns, and whether a broader impact statement is needed.",
            required=False,
        ),
        _yes_no(
            "claims_supported",
            "Claims and evidence",
            "Are the claims made in the submission supported by accurate, convincing and "
            "clear evidence?",
        ),
        _yes_no(
            "audience_interested",
            "Audience",
            "Would at least some individuals in the venue's audience be interested in "
            "knowing the findings of this paper?",
        ),
    ],
}

NEURIPS: dict[str, Any] = {
    "slug": "neurips-style",
    "name": "NeurIPS-style",
    "description": "Soundness, presentation and contribution on 1-4, a rating on 1-10.",
    "fields": [
        _text("summary", "Summary", "Summarise the paper and its contributions."),
        _text(
            "strengths_weaknesses",
            "Strengths and weaknesses",
            "Originality, quality, clarity and significance.",
        ),
        _text("questions", "Questions", "Questions for the authors.", required=False),
        _score(
            "soundness",
            "Soundness",
            "Are the claims technically sound?",
            1.0,
            options=FOUR,
            aspect=BENCHMARK,
        ),
        _score("presentation", "Presentation", "Is the paper clearly written?", 1.0, options=FOUR),
        _score(
            "contribution",
            "Contribution",
            "How significant is the contribution?",
            1.0,
            options=FOUR,
            aspect=IDEAS,
        ),
        # An overall rating in the NeurIPS style is read mostly off the results tables.
        _score("rating", "Rating", "Your overall rating.", 3.0, options=TEN, aspect=BENCHMARK),
        _score(
            "confidence",
            "Confidence",
            "How sure are you of your assessment?",
            0.0,
            options=CONFIDENCE,
            independent=True,
        ),
    ],
}

TEMPLATES = [PEERLESS_BALANCED, TMLR, NEURIPS]
DEFAULT_SLUG = DEFAULT_FORM_SLUG


def install_templates(form_model, field_model) -> list:
    """Create version 1 of each shipped form that is missing; return the forms created.

    Takes the model classes so that a data migration can pass its historical models.
    """
    created = []
    # A migration's historical model may predate some keys of the specs (e.g. `aspect`).
    known = {f.name for f in field_model._meta.get_fields()}
    for template in TEMPLATES:
        if form_model.objects.filter(slug=template["slug"]).exists():
            continue
        form = form_model.objects.create(
            slug=template["slug"],
            version=1,
            name=template["name"],
            description=template["description"],
        )
        for order, spec in enumerate(template["fields"]):
            values = {k: v for k, v in _field_defaults(spec).items() if k in known}
            field_model.objects.create(form=form, order=order, **values)
        created.append(form)
    return created


def _field_defaults(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": True,
        "visibility": "authors",
        "options": [],
        "weight": 0.0,
        "independent": False,
        "help_text": "",
        "min_words": None,
        "max_words": None,
        "aspect": OTHER,
        **spec,
    }
