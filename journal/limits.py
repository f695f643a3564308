"""Limits on what people type, defined once and enforced on every path.

Forms, API serializers and the services that store the text all read these numbers, so a
page, a script and a background job refuse the same input with the same message.
"""

from journal.errors import DomainError

#: A title (of a paper, a publication, a review form).
TITLE_MAX_CHARS = 300
#: A long text: an abstract, a hypothesis field, a note, a comment, a review's text answer.
TEXT_MAX_CHARS = 20_000
#: What the Markdown renderer formats at most; longer stored text is shown as plain text.
RENDER_MAX_CHARS = 2 * TEXT_MAX_CHARS
#: Independent runs (seeds) one benchmark claim may report.
CLAIM_RUNS_MAX = 100_000
#: The compute budget a benchmark claim compares (free text, e.g. "8 A100-hours per run").
CLAIM_COMPUTE_BUDGET_MAX_CHARS = 200
#: A reviewer's reason for their verdict on one benchmark claim.
CLAIM_ASSESSMENT_REASON_MAX_CHARS = 1_000
#: Papers one bulk decision may cover (the decision table's "all filtered" included).
BULK_DECISION_MAX_PAPERS = 10_000
#: Rows on one page of the decision table (pages and the API).
DECISION_TABLE_MAX_PAGE_SIZE = 200
#: The most bids a venue may ask of each reviewer, and the largest weight of a bid level.
MIN_BIDS_MAX = 500
BID_WEIGHT_MAX = 10.0
#: Subject areas one venue may define, and the characters of one area's name.
SUBJECT_AREAS_MAX = 60
SUBJECT_AREA_MAX_CHARS = 80
#: A review form: its questions, the options of one question, a question's help text, the
#: largest weight of a criterion, and the largest word limit of a text answer (a text
#: answer holds TEXT_MAX_CHARS characters: about this many words).
REVIEW_FORM_MAX_FIELDS = 50
REVIEW_FORM_MAX_OPTIONS = 20
REVIEW_FORM_HELP_MAX_CHARS = 2_000
REVIEW_FORM_WEIGHT_MAX = 100.0
REVIEW_FORM_WORDS_MAX = 3_000
#: Days an e-mail's one-click unsubscribe link works after the message was sent.
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 60
#: Held messages one daily digest carries at most (the rest wait for the next one).
DIGEST_MAX_MESSAGES = 200


def text_too_long(
    value: str | None, *, limit: int = TEXT_MAX_CHARS, label: str = "This text"
) -> str | None:
    """Return a message for the person when `value` is over `limit` characters, else None."""
    if value is not None and len(value) > limit:
        return f"{label} has {len(value):,} characters; at most {limit:,} are allowed."
    return None


def text_limits_check(
    *, limit: int = TEXT_MAX_CHARS, labels: dict[str, str] | None = None, **texts: str | None
) -> None:
    """Raise DomainError (naming the field) for the first of `texts` over `limit` characters.

    Services call this on what they store, so every path (page, API, task) holds the limit.
    """
    for field, value in texts.items():
        label = (labels or {}).get(field) or field.replace("_", " ").capitalize()
        message = text_too_long(value, limit=limit, label=label)
        if message:
            raise DomainError(message, field=field)

#: An `Idempotency-Key` header: at most this many visible ASCII characters.
IDEMPOTENCY_KEY_MAX_CHARS = 255
#: Hours an `Idempotency-Key` replays its first answer; after that the key is new again.
IDEMPOTENCY_KEY_TTL_HOURS = 24

#: An imported publication list: the file's size, and the publications read from one file or
#: one fetch (the profile page, the API and the fetch job hold the same numbers).
PUBLICATION_IMPORT_MAX_BYTES = 2 * 1024 * 1024
PUBLICATION_IMPORT_MAX_RECORDS = 2_000
#: A fetch from ORCID, DBLP or Semantic Scholar: the seconds one request may take, and the
#: most bytes one answer may have.
PUBLICATION_FETCH_TIMEOUT_SECONDS = 20
PUBLICATION_FETCH_MAX_BYTES = 8 * 1024 * 1024
#: The most papers at once a person or an editor may set as a role's load.
LOAD_QUOTA_MAX = 1000
#: Availability periods and institution-history entries one person keeps (past ones too).
AVAILABILITY_PERIODS_MAX = 100
INSTITUTION_HISTORY_MAX = 40
#: Years after leaving an institution that it still counts for conflicts of interest
#: (NeurIPS and ICML use three).
INSTITUTION_CONFLICT_YEARS = 3
#: A reason one gives: for being away, or for declining a role.
REASON_MAX_CHARS = 1000
