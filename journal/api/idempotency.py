"""`Idempotency-Key` on the API's creates: a retried request replays the first answer.

Decorate a view method with `@idempotent` and list `IDEMPOTENCY_KEY` in its schema's
parameters. With the header, the first request under a key (per user and address) runs and
its successful answer (status, body, `ETag`/`Location`) is kept for
`IDEMPOTENCY_KEY_TTL_HOURS`; a repeat with the same body gets that answer again, marked
`Idempotent-Replayed: true`, without creating anything; the same key with another body is
refused with 422. Two requests with one key at once are serialised on the key's row. A refused
request (4xx) keeps nothing, so the client may correct it and retry under the same key.
"""

import functools
import hashlib
import json

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from journal.errors import DomainError
from journal.limits import IDEMPOTENCY_KEY_MAX_CHARS, IDEMPOTENCY_KEY_TTL_HOURS
from journal.services.idempotency import (
    idempotency_key_claim,
    idempotency_key_record,
    idempotency_key_release,
)

HEADER = "Idempotency-Key"
#: Answer headers kept and replayed with the body.
KEPT_HEADERS = ("ETag", "Location")

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_CHARS},
    OpenApiParameter.HEADER,
    description=(
        "A unique value of your choice (a UUID, say) that makes a retry safe: the same key "
        "with the same body within "
        f"{IDEMPOTENCY_KEY_TTL_HOURS} hours answers the first response again (with the "
        "header `Idempotent-Replayed: true`) and creates nothing; the same key with a "
        "different body is refused with 422. Keys are per user and per address; at most "
        f"{IDEMPOTENCY_KEY_MAX_CHARS} visible ASCII characters."
    ),
)


def _checked_key(value: str) -> str:
    if len(value) > IDEMPOTENCY_KEY_MAX_CHARS or not value or not value.isascii() or any(
        not ("!" <= ch <= "~") for ch in value
    ):
        raise DomainError(
            f"The Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_CHARS} visible ASCII "
            "characters without spaces (a UUID, for example).",
            field=HEADER,
        )
    return value


def _fingerprint_value(digest, value) -> None:
    if isinstance(value, UploadedFile):
        digest.update(f"file:{value.name}:{value.size}:".encode())
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
    else:
        digest.update(json.dumps(value, sort_keys=True, default=str).encode())
    digest.update(b"\0")


def request_fingerprint(request) -> str:
    """Return the SHA-256 of what the request asks: its query and its parsed body, files
    included by content (so a multipart retry with a new boundary is the same request)."""
    digest = hashlib.sha256()
    digest.update(request.META.get("QUERY_STRING", "").encode() + b"\0")
    data = request.data
    if hasattr(data, "lists"):
        for name, values in sorted(data.lists(), key=lambda item: item[0]):
            digest.update(name.encode() + b"=")
            for value in values:
                _fingerprint_value(digest, value)
    else:
        _fingerprint_value(digest, data)
    return digest.hexdigest()


def _replay(row) -> Response:
    headers = {**row.response_headers, "Idempotent-Replayed": "true"}
    return Response(row.response_body, status=row.status_code, headers=headers)


def idempotent(view_method):
    """Make a POST view method honour the `Idempotency-Key` header (see the module)."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        value = request.headers.get(HEADER)
        if value is None or request.method != "POST" or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        key = _checked_key(value)
        fingerprint = request_fingerprint(request)
        endpoint = f"{request.method} {request.path}"[:300]
        with transaction.atomic():
            row = idempotency_key_claim(
                user=request.user, endpoint=endpoint, key=key, request_sha256=fingerprint
            )
            if row.status_code is not None:
                return _replay(row)
            response = view_method(self, request, *args, **kwargs)
            if isinstance(response, Response) and 200 <= response.status_code < 300:
                idempotency_key_record(
                    row=row,
                    status_code=response.status_code,
                    body=json.loads(JSONRenderer().render(response.data) or b"null"),
                    headers={h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
                )
            else:
                idempotency_key_release(row=row)
            return response

    return wrapper
