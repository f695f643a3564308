"""Invite the authors listed on a paper to claim their authorship, and record the claim.

An invitation carries a signed token naming the submission and the listed e-mail. Whoever
follows the link (it went to that address) may attach the authorship to their account.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journal.enums import AuditVisibility
from journal.errors import DomainError
from journal.models import Authorship, Submission, User
from journal.rules import forget_access
from journal.services.audit import audit_log
from journal.services.email import email_queue
from reviews.services.editor_conflicts import editor_conflicts_paper_changed

SALT = "peerless.authorship-claim"
#: How long an invitation link stays valid, in seconds.
MAX_AGE = 60 * 60 * 24 * 90


def claim_token(*, submission: Submission, email: str) -> str:
    """Return the signed token for the author listed with `email` on `submission`."""
    return signing.dumps({"s": submission.pk, "e": email.lower()}, salt=SALT, compress=True)


def claim_url(*, submission: Submission, email: str) -> str:
    token = claim_token(submission=submission, email=email)
    return settings.SITE_URL.rstrip("/") + reverse("journal:claim", kwargs={"token": token})


def claim_invitations_send(*, submission: Submission, actor: User | None = None) -> int:
    """E-mail every listed author who has not claimed the paper yet; return how many.

    Each author hears about a paper once, however often this runs.
    """
    sent = 0
    for author in submission.authors.select_related("user").filter(claimed_at__isnull=True):
        if actor is not None and author.user_id == actor.pk:
            continue
        queued = email_queue(
            to=author.email,
            recipient=author.user,
            template="journal/emails/claim_invitation",
            context={
                "submission": submission,
                "name": author.name,
                "inviter": actor,
                "claim_url": claim_url(submission=submission, email=author.email),
            },
            venue=submission.venue,
            submission=submission,
            dedupe_key=f"claim-invitation:{submission.pk}:{author.email.lower()}",
        )
        sent += queued is not None
    return sent


def claim_authorship(*, token: str) -> Authorship:
    """Return the authorship a token points to, or raise DomainError saying what is wrong."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            "This invitation has expired. Ask the paper's authors for a new one."
        ) from None
    except signing.BadSignature:
        raise DomainError(
            "This invitation link is not valid. Check that it was copied whole."
        ) from None
    authorship = (
        Authorship.objects.select_related("submission__venue", "user")
        .filter(submission_id=data.get("s"), email=data.get("e"))
        .first()
    )
    if authorship is None:
        raise DomainError("You are no longer listed as an author of this paper.")
    return authorship


def authorship_claim(*, token: str, user: User) -> Authorship:
    """Attach the authorship named by `token` to `user`'s account."""
    authorship = claim_authorship(token=token)
    with transaction.atomic():
        locked = Authorship.objects.select_for_update().get(pk=authorship.pk)
        if locked.user_id is not None and locked.user_id != user.pk:
            raise DomainError("Another account has already claimed this authorship.")
        if (
            locked.user_id is None
            and Authorship.objects.filter(submission_id=locked.submission_id, user=user).exists()
        ):
            raise DomainError("Your account is already listed as an author of this paper.")
        if locked.user_id == user.pk and locked.claimed_at is not None:
            return locked
        locked.user = user
        locked.claimed_at = timezone.now()
        locked.save(update_fields=["user", "claimed_at"])
        editor_conflicts_paper_changed(submission=locked.submission)
        audit_log(
            venue=authorship.submission.venue,
            submission=authorship.submission,
            actor=user,
            action="authorship.claimed",
            data={"email": locked.email},
            visibility=AuditVisibility.AUTHORS,
        )
    forget_access(user, "_peerless_authored")
    return locked
