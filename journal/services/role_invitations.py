"""The person's answer to a venue's role invitation (`venue_role_invite` sends it): accept
(the role is theirs from then on), decline with an optional reason, or the chair withdraws
an unanswered one. One transition function owns the state: lock, guard, save, audit, tell
the venue's chairs (on commit, through the outbox)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from journal.enums import RoleInvitationState, RoleKind
from journal.errors import DomainError, TransitionError
from journal.limits import REASON_MAX_CHARS, text_limits_check
from journal.models import RoleInvitation, User, Venue, VenueRole
from journal.services.audit import audit_log
from journal.services.email import email_queue
from reviews.services.editor_conflicts import EDITOR_ROLES, editor_conflicts_queue_scan

#: Who may move an invitation from its current state, and to what.
_MOVES = {
    RoleInvitationState.PENDING: {
        RoleInvitationState.ACCEPTED,
        RoleInvitationState.DECLINED,
        RoleInvitationState.WITHDRAWN,
    },
}
_PAST = {
    RoleInvitationState.ACCEPTED: "accepted",
    RoleInvitationState.DECLINED: "declined",
    RoleInvitationState.WITHDRAWN: "withdrawn by the venue",
}


def _transition(
    *, invitation_id: int, actor: User, to: str, decline_reason: str = ""
) -> RoleInvitation:
    with transaction.atomic():
        locked = (
            RoleInvitation.objects.select_for_update()
            .select_related("venue", "user")
            .filter(pk=invitation_id)
            .first()
        )
        if locked is None:
            raise DomainError("This invitation does not exist (any more).")
        if to == RoleInvitationState.WITHDRAWN:
            if not actor.has_perm("journal.manage_venue", locked.venue):
                raise DomainError("Only the venue's chairs withdraw an invitation.")
        elif not actor.has_perm("journal.answer_role_invitation", locked):
            raise DomainError(
                "This invitation was sent to another account; sign in with the address "
                "it was sent to."
            )
        if to not in _MOVES.get(locked.state, set()):
            raise TransitionError(f"This invitation was {_PAST[locked.state]} already.")
        before = locked.state
        now = timezone.now()
        if to == RoleInvitationState.ACCEPTED:
            role, _ = VenueRole.objects.get_or_create(
                venue=locked.venue,
                user=locked.user,
                role=locked.role,
                defaults={"load_quota": locked.load_quota},
            )
            locked.venue_role = role
            if locked.role in EDITOR_ROLES:
                # Their conflicts with the venue's papers, before their first dashboard.
                editor_conflicts_queue_scan(venue=locked.venue)
        locked.state = to
        locked.decline_reason = decline_reason
        locked.responded_at = now
        locked.save(update_fields=["state", "decline_reason", "responded_at", "venue_role"])
        audit_log(
            venue=locked.venue,
            actor=actor,
            action=f"role.invitation_{to}",
            from_state=before,
            to_state=to,
            note=decline_reason,
            data={"invitation": locked.pk, "user": locked.user_id, "role": locked.role},
            at=now,
        )
        if to != RoleInvitationState.WITHDRAWN:
            _tell_chairs(invitation=locked)
    return locked


def _tell_chairs(*, invitation: RoleInvitation) -> None:
    venue = invitation.venue
    chairs = User.objects.filter(
        venue_roles__venue=venue, venue_roles__role=RoleKind.CHIEF, is_active=True
    ).distinct()
    for chair in chairs:
        email_queue(
            to=chair.email,
            recipient=chair,
            template="journal/dashboard/emails/role_invitation_answered",
            context={
                "name": chair.display_name or chair.email,
                "person": invitation.user.display_name or invitation.user.email,
                "role_label": venue.role_label(invitation.role),
                "accepted": invitation.state == RoleInvitationState.ACCEPTED,
                "reason": invitation.decline_reason,
            },
            venue=venue,
            dedupe_key=f"role-invitation-answer:{invitation.pk}:{chair.pk}",
        )


def role_invitation_accept(*, invitation: RoleInvitation, actor: User) -> RoleInvitation:
    """Accept a pending invitation sent to `actor`: the role is theirs from now on."""
    return _transition(invitation_id=invitation.pk, actor=actor, to=RoleInvitationState.ACCEPTED)


def role_invitation_decline(
    *, invitation: RoleInvitation, actor: User, reason: str = ""
) -> RoleInvitation:
    """Decline a pending invitation sent to `actor`, optionally saying why (chairs read it)."""
    reason = (reason or "").strip()
    text_limits_check(limit=REASON_MAX_CHARS, labels={"reason": "The reason"}, reason=reason)
    return _transition(
        invitation_id=invitation.pk,
        actor=actor,
        to=RoleInvitationState.DECLINED,
        decline_reason=reason,
    )


def role_invitation_withdraw(*, venue: Venue, actor: User, invitation_id: int) -> RoleInvitation:
    """Withdraw an unanswered invitation of `venue` (its chairs)."""
    if not RoleInvitation.objects.filter(pk=invitation_id, venue=venue).exists():
        raise DomainError("This invitation does not exist (any more).")
    return _transition(invitation_id=invitation_id, actor=actor, to=RoleInvitationState.WITHDRAWN)
