"""One error body for every API failure: `{"detail": ..., "errors": {field: [messages]}}`."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from journal.errors import DomainError

NON_FIELD = "non_field_errors"


def _flatten(data, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error structure into `{"a.0.b": ["message", ...]}`."""
    if isinstance(data, dict):
        out: dict[str, list[str]] = {}
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
        return out
    if isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        out = {}
        for index, value in enumerate(data):
            if value:
                out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return out
    messages = data if isinstance(data, list) else [data]
    return {prefix or NON_FIELD: [str(m) for m in messages]}


def _body(detail: str, errors: dict[str, list[str]] | None = None) -> dict:
    return {"detail": detail, "errors": errors or {}}


def exception_handler(exc, context):
    """Answer domain errors with their status and message; give every error one shape."""
    if isinstance(exc, DomainError):
        errors = {exc.field: [exc.message]} if exc.field else {}
        return Response(_body(exc.message, errors), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if set(errors) == {NON_FIELD}:
            detail = " ".join(errors[NON_FIELD])
        else:
            detail = "Some fields are not valid; see `errors`."
        response.data = _body(detail, errors)
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = _body(str(response.data["detail"]))
    else:
        response.data = _body("The request failed.", _flatten(response.data))
    return response
