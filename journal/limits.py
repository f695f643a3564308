"""Limits on what people type, defined once and enforced on every path.

Forms, API serializers and the services that store the text all read these numbers, so a
page, a script and a background job refuse the same input with the same message.
"""

#: A title (of a paper, a publication, a review form).
TITLE_MAX_CHARS = 300
#: A long text: an abstract, a hypothesis field, a note, a comment, a review's text answer.
TEXT_MAX_CHARS = 20_000
#: What the Markdown renderer formats at most; longer stored text is shown as plain text.
RENDER_MAX_CHARS = 2 * TEXT_MAX_CHARS


def text_too_long(value: str | None, *, limit: int = TEXT_MAX_CHARS) -> str | None:
    """Return a message for the person when `value` is over `limit` characters, else None."""
    if value is not None and len(value) > limit:
        return f"This text has {len(value):,} characters; at most {limit:,} are allowed."
    return None
