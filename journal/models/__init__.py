from journal.models.api import ApiToken, Webhook, WebhookDelivery
from journal.models.audit import AuditEvent
from journal.models.deadline import StageExtension
from journal.models.decision import Decision
from journal.models.editor_conflict import EditorConflict, EditorConflictScan
from journal.models.email import EmailPreference, OutboundEmail
from journal.models.email_template import EmailTemplateKey, VenueEmailTemplate
from journal.models.idempotency import IdempotencyKey
from journal.models.phase import PhaseJob, VenuePhase
from journal.models.profile import AvailabilityPeriod, InstitutionAffiliation, RoleInvitation
from journal.models.submission import (
    Authorship,
    BenchmarkClaim,
    DeclaredConflict,
    EditorConflictWaiver,
    Submission,
)
from journal.models.user import User
from journal.models.venue import Venue, VenueRole
from journal.models.version import SubmissionVersion

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Authorship",
    "AvailabilityPeriod",
    "BenchmarkClaim",
    "Decision",
    "DeclaredConflict",
    "EditorConflict",
    "EditorConflictScan",
    "EditorConflictWaiver",
    "EmailPreference",
    "EmailTemplateKey",
    "IdempotencyKey",
    "InstitutionAffiliation",
    "OutboundEmail",
    "PhaseJob",
    "RoleInvitation",
    "StageExtension",
    "Submission",
    "SubmissionVersion",
    "User",
    "Venue",
    "VenueEmailTemplate",
    "VenuePhase",
    "VenueRole",
    "Webhook",
    "WebhookDelivery",
]
