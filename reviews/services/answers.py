"""Check a reviewer's answers against the form: loosely for drafts, strictly on submission."""

from typing import Any

from journal.errors import DomainError, FieldErrors
from journal.limits import text_limits_check
from reviews.enums import FieldKind
from reviews.models import ReviewFormField


def word_count(text: str) -> int:
    """Return the number of words in `text`."""
    return len(text.split())


def answers_clean(
    *, fields: list[ReviewFormField], raw: dict[str, Any], strict: bool
) -> dict[str, Any]:
    """Return the answers to `fields` found in `raw`, typed.

    A draft (`strict=False`) keeps whatever can be read and drops the rest, so autosave never
    fails while someone types; a submission (`strict=True`) checks every field and raises
    FieldErrors listing every one that is missing or out of bounds, in the form's order.
    A text over the length limit is refused either way (never dropped silently).
    """
    cleaned: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for field in fields:
        try:
            value = _answer(field, raw.get(field.key), strict=strict)
        except DomainError as exc:
            problems[field.key] = [exc.message]
            continue
        if value is not None:
            cleaned[field.key] = value
    if problems:
        raise FieldErrors(answers_problem_summary(problems), errors=problems)
    return cleaned


def answers_problem_summary(problems: dict[str, list[str]]) -> str:
    """Return the one-line summary of a review's problems shown above the list of them."""
    count = sum(len(messages) for messages in problems.values())
    if count == 1:
        return next(iter(problems.values()))[0]
    return f"The review has {count} problems; each is listed below and beside its field."


def _answer(field: ReviewFormField, value: Any, *, strict: bool) -> Any:
    """Return the typed answer to `field` (None when there is none), or raise DomainError."""
    if field.kind == FieldKind.TEXT and isinstance(value, str):
        text_limits_check(labels={field.key: f"“{field.label}”"}, **{field.key: value})
    try:
        value = _typed(field, value)
    except DomainError:
        if strict:
            raise
        return None
    if value is None or value == "" or value == []:
        if strict and field.required:
            raise DomainError(f"Answer “{field.label}”.", field=field.key)
        return None
    if strict and field.kind == FieldKind.TEXT:
        _check_words(field, value)
    return value


def _typed(field: ReviewFormField, value: Any) -> Any:
    if value is None:
        return None
    if field.kind == FieldKind.TEXT:
        return str(value).strip()
    if field.kind == FieldKind.YES_NO:
        return _yes_no(field, value)
    if field.kind == FieldKind.MULTIPLE_CHOICE:
        values = value if isinstance(value, list | tuple) else [value]
        allowed = [str(v) for v in field.option_values()]
        chosen = [str(v) for v in values if str(v) != ""]
        if any(v not in allowed for v in chosen):
            raise DomainError(f"Choose from the options of “{field.label}”.", field=field.key)
        return [v for v in allowed if v in chosen]
    if value == "":
        return None
    for allowed in field.option_values():
        if str(allowed) == str(value):
            return allowed
    raise DomainError(f"Choose from the options of “{field.label}”.", field=field.key)


def _yes_no(field: ReviewFormField, value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "true", "1", "on"}:
        return True
    if text in {"no", "false", "0"}:
        return False
    if text == "":
        return None
    raise DomainError(f"Answer “{field.label}” with yes or no.", field=field.key)


def _check_words(field: ReviewFormField, text: str) -> None:
    words = word_count(text)
    if field.max_words and words > field.max_words:
        raise DomainError(
            f"“{field.label}” has {words} words; the limit is {field.max_words}.",
            field=field.key,
        )
    if field.min_words and words < field.min_words:
        raise DomainError(
            f"“{field.label}” has {words} words; write at least {field.min_words}.",
            field=field.key,
        )
