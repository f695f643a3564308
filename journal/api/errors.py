"""One error body for every API failure: `{"detail": ..., "errors": {field: [messages]}}`.

`exception_handler` shapes the errors of the API's views; the `handler*` views below answer,
under the API's prefix, what Django itself refuses before or around a view (no such URL, a
body too large, a server error) in the same shape. Pages keep Django's HTML error pages.
"""

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
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
    """Answer domain errors with their status and message; give every error one shape, as
    JSON even where the client asked for a file."""
    response = _shaped_response(exc, context)
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if response is not None and renderer is not None and renderer.format not in {"json", "api"}:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def _shaped_response(exc, context):
    if isinstance(exc, DomainError):
        errors = getattr(exc, "errors", None) or (
            {exc.field: [exc.message]} if exc.field else {}
        )
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


API_PREFIX = "/api/"
MB = 1024 * 1024


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _answer(detail: str, status: int) -> JsonResponse:
    return JsonResponse(_body(detail), status=status)


def _size(limit: int) -> str:
    return f"{limit / MB:g} MB" if limit >= MB else f"{limit} bytes"


def bad_request(request, exception):
    """Answer a request Django refused as malformed or too large (handler400)."""
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = _size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return _answer(
            f"The request body is larger than {limit}, the most this server accepts "
            "(files sent as multipart/form-data do not count towards it).",
            413,
        )
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return _answer(f"The request has more than {limit} fields; send at most {limit}.", 400)
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return _answer(f"The request has more than {limit} files; send at most {limit}.", 400)
    return _answer("The request is malformed and was refused.", 400)


def permission_denied(request, exception):
    """Answer a refusal raised outside the API's views (handler403)."""
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return _answer("You do not have permission to perform this action.", 403)


def not_found(request, exception):
    """Answer an address that matches no page or endpoint (handler404)."""
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return _answer(
        f"There is no API endpoint at this address; the endpoints are listed at "
        f"{reverse('api:docs')}.",
        404,
    )


def server_error(request):
    """Answer an unexpected failure, which Django has logged (handler500)."""
    if not _is_api(request):
        return defaults.server_error(request)
    return _answer("Something went wrong on our side; it has been logged. Try again later.", 500)
