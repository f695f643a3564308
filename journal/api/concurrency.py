"""Guard edits against lost updates: `ETag` on reads, `If-Match` on writes."""

import hashlib

from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException

from journal.models import Submission

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The ETag of the resource as you last read it.",
)
IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    {"type": "string", "minLength": 1},
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the resource as you last read it (required: 428 without it).",
)


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the ETag you last read in an If-Match header, so that changes made meanwhile "
        "are not overwritten."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The resource changed since you read it; fetch it again and re-apply your change."
    )
    default_code = "precondition_failed"


def etag_of(*parts: object) -> str:
    """Return a strong entity tag made from the parts that change on every edit."""
    stamp = ":".join(str(p) for p in parts)
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'


def submission_etag(submission: Submission) -> str:
    """Return the entity tag of a submission's current state and metadata."""
    return etag_of("submission", submission.pk, submission.state, submission.updated_at)


def check_if_match(request, etag: str, *, required: bool) -> None:
    """Raise 428 when a required If-Match is missing, 412 when it names another version."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired()
        return
    if header == "*":
        return
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if etag not in tags:
        raise PreconditionFailed()
