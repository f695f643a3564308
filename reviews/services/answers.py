"""Check a reviewer's answers against the form: loosely for drafts, strictly on submission."""

from typing import Any

from journal.errors import DomainError
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
    fails while someone types; a submission (`strict=True`) raises DomainError naming the
    first field that is missing or out of bounds.
    """
    cleaned: dict[str, Any] = {}
    for field in fields:
        value = raw.get(field.key)
        if field.kind == FieldKind.TEXT and isinstance(value, str):
            # Never dropped silently, even from a draft: the reviewer is told.
            text_limits_check(labels={field.key: f"“{field.label}”"}, **{field.key: value})
        try:
            value = _typed(field, value)
        except DomainError:
            if strict:
                raise
            continue
        if value is None or value == "" or value == []:
            if strict and field.required:
                raise DomainError(f"Answer “{field.label}”.", field=field.key)
            continue
        if strict and field.kind == FieldKind.TEXT:
            _check_words(field, value)
        cleaned[field.key] = value
    return cleaned


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
