"""The language of the e-mails a venue may reword, and the sandbox it is rendered in.

Venue chiefs edit these texts, so they are never given to the site's template engine and
never see model objects. Each e-mail kind has a fixed list of names whose values are plain
strings or booleans (`EMAIL_NAMES`); a wording may print those names, test them with
`{% if %}` / `{% elif %}` / `{% else %}` / `{% endif %}`, and pass them through a few text
filters. Everything else (reading a part of a value, calls, other tags, unknown names) is
refused when the wording is saved, with a message that says what is allowed; the sandboxed
renderer is a second line behind that check.

This module is pure: it knows nothing of the database.
"""

from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError


@dataclass(frozen=True)
class Name:
    """One value an e-mail wording may use: what it means and a made-up example."""

    name: str
    meaning: str
    example: str | bool


_COMMON = (
    Name("name", "the recipient's name", "Ada Lovelace"),
    Name("venue_name", "the venue's name", "Transactions on Example Learning"),
    Name("paper_number", "the paper's number at the venue", "42"),
    Name("paper_title", "the paper's title", "Sparse attention scales to long documents"),
    Name("site_url", "the address of this site", "https://peerless.example.org"),
)
_PAPER_URL = Name(
    "paper_url", "the paper's page for its authors", "https://peerless.example.org/submissions/1/"
)
_INVITATION_URL = Name(
    "invitation_url",
    "where the reviewer accepts or declines",
    "https://peerless.example.org/reviewing/invitations/1/",
)

#: The names each e-mail kind may use, by the kind's key (`EmailTemplateKey` values).
EMAIL_NAMES: dict[str, tuple[Name, ...]] = {
    "journal/emails/submission_received": (
        *_COMMON,
        _PAPER_URL,
        Name("is_revision", "true when this is a revised version", False),
    ),
    "journal/emails/decision": (
        *_COMMON,
        _PAPER_URL,
        Name("decision", "the decision, e.g. Accepted", "Accepted"),
        Name("note", "the editor's note to the authors (may be empty)", "The claims hold up."),
    ),
    "reviews/emails/invitation": (
        *_COMMON,
        Name("paper_abstract", "the paper's abstract", "We show that sparse attention keeps ..."),
        Name("editor_note", "the editor's note to the reviewer (may be empty)", "A good fit."),
        Name("answer_due", "when the invitation should be answered", "4 Dec 2026, 12:00 UTC"),
        Name("review_due", "when the review is due if accepted", "31 Dec 2026, 12:00 UTC"),
        _INVITATION_URL,
    ),
    "reviews/emails/reminder_invitation": (
        *_COMMON,
        Name("answer_due", "when the invitation should be answered", "4 Dec 2026, 12:00 UTC"),
        Name("overdue", "true when that time has passed", False),
        _INVITATION_URL,
    ),
    "reviews/emails/reminder_review": (
        *_COMMON,
        Name("review_due", "when the review is due", "31 Dec 2026, 12:00 UTC"),
        Name("overdue", "true when the review is late", False),
        Name(
            "review_url",
            "the reviewer's review form",
            "https://peerless.example.org/reviewing/reviews/1/",
        ),
    ),
    "reviews/emails/reminder_bids": (
        _COMMON[0],
        _COMMON[1],
        _COMMON[4],
        Name("bids_made", "how many papers the reviewer has bid on", "3"),
        Name("min_bids", "how many bids the venue asks for", "10"),
        Name(
            "bidding_url",
            "the reviewer's bidding page",
            "https://peerless.example.org/venues/conf/bids/",
        ),
    ),
}

#: Filters a wording may use: each takes and returns plain text.
ALLOWED_FILTERS = ("upper", "lower", "title", "capitalize", "trim", "default", "wordwrap")
ALLOWED_TAGS = "{% if %}, {% elif %}, {% else %} and {% endif %}"
#: The longest subject or body a wording may have, in characters.
WORDING_MAX_CHARS = 20_000

_TAG_NODES = {
    nodes.For: "for",
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.FilterBlock: "filter",
    nodes.With: "with",
    nodes.Block: "block",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from",
    nodes.Extends: "extends",
    nodes.Assign: "set",
    nodes.AssignBlock: "set",
}
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.If,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Filter,
    nodes.Const,
)


class WordingError(ValueError):
    """A wording that may not be used; the message is written for the chief."""


def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters = {name: env.filters[name] for name in ALLOWED_FILTERS}
    env.tests = {}
    env.globals = {}
    return env


_ENV = _environment()


def _refusal(node: nodes.Node, names: set[str]) -> str | None:
    if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Slice):
        return (
            "reads a part of a value (a dot or brackets after a name), which e-mails cannot "
            "do: use one of the names listed below as it is"
        )
    if isinstance(node, nodes.Call):
        return "calls something, which e-mails cannot do"
    for kind, tag in _TAG_NODES.items():
        if isinstance(node, kind):
            return f"uses the tag {{% {tag} %}}; e-mails may use only {ALLOWED_TAGS}"
    if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        return f"uses the filter |{node.name}; e-mails may use only |" + ", |".join(ALLOWED_FILTERS)
    if isinstance(node, nodes.Name):
        if node.ctx != "load":
            return f"assigns to {node.name}, which e-mails cannot do"
        if node.name not in names:
            return (
                f"uses {{{{ {node.name} }}}}, which this e-mail does not have; "
                "it may use " + ", ".join(sorted(names))
            )
    if isinstance(node, nodes.Const) and not isinstance(node.value, str | int | bool):
        return "uses a value of a kind e-mails cannot use"
    if not isinstance(node, _ALLOWED_NODES):
        return f"uses an expression e-mails cannot use ({type(node).__name__.lower()})"
    return None


def wording_check(*, source: str, kind: str) -> None:
    """Raise WordingError unless `source` is a wording the e-mail `kind` may use."""
    names = {n.name for n in EMAIL_NAMES[kind]}
    if len(source) > WORDING_MAX_CHARS:
        raise WordingError(f"It is longer than {WORDING_MAX_CHARS:,} characters.")
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise WordingError(_syntax_message(exc)) from None
    every = [tree, *tree.find_all(nodes.Node)]
    # Unknown names first: "{{ submission.title }}" is best answered with the names there are.
    for node in sorted(every, key=lambda n: not isinstance(n, nodes.Name)):
        reason = _refusal(node, names)
        if reason:
            raise WordingError(f"Line {node.lineno} {reason}.")


def _syntax_message(exc: TemplateSyntaxError) -> str:
    text = exc.message or "it does not parse"
    if "unknown tag" in text:
        return f"Line {exc.lineno}: {text}; e-mails may use only {ALLOWED_TAGS}."
    return f"Line {exc.lineno}: {text}."


def wording_render(*, source: str, kind: str, values: dict[str, str | bool]) -> str:
    """Render a checked wording with plain `values`; raise WordingError if it cannot be."""
    wording_check(source=source, kind=kind)
    plain = {k: v if isinstance(v, bool) else str(v) for k, v in values.items()}
    try:
        return _ENV.from_string(source).render(plain)
    except (SecurityError, UndefinedError, TypeError, ValueError) as exc:
        raise WordingError(f"The wording cannot be rendered: {exc}") from None


def wording_examples(*, kind: str) -> dict[str, str | bool]:
    """Return the made-up values the preview of `kind` is rendered with."""
    return {n.name: n.example for n in EMAIL_NAMES[kind]}
