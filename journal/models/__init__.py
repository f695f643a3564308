from journal.models.audit import AuditEvent
from journal.models.email import OutboundEmail
from journal.models.submission import Authorship, BenchmarkClaim, DeclaredConflict, Submission
from journal.models.user import User
from journal.models.venue import Venue, VenueRole
from journal.models.version import SubmissionVersion

__all__ = [
    "AuditEvent",
    "Authorship",
    "BenchmarkClaim",
    "DeclaredConflict",
    "OutboundEmail",
    "Submission",
    "SubmissionVersion",
    "User",
    "Venue",
    "VenueRole",
]
