"""Who holds which role at a venue: invite people by e-mail, import reviewers, remove roles."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journal.enums import RoleInvitationState, RoleKind, SubmissionState
from journal.errors import DomainError
from journal.limits import LOAD_QUOTA_MAX
from journal.models import RoleInvitation, User, Venue, VenueRole
from journal.services.audit import audit_log
from journal.services.email import email_queue

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


@dataclass(frozen=True)
class RowProblem:
    line: int
    email: str
    message: str


class RolesImportError(DomainError):
    """A CSV file with problems; nothing of it was imported. `problems` lists them by row."""

    def __init__(self, message: str, *, problems: list[RowProblem]) -> None:
        super().__init__(message, field="file")
        self.problems = problems


@dataclass
class ImportReport:
    added: list[RoleInvitation] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)


def venue_role_invite(
    *,
    venue: Venue,
    actor: User,
    email: str,
    role: str,
    display_name: str = "",
    affiliation: str = "",
    load_quota: int | None = None,
) -> RoleInvitation:
    """Invite the person with `email` to hold `role` at `venue` and tell them by e-mail.

    The role exists once they accept (`journal.services.role_invitations`). A person without
    an account gets one (without a password; they choose it through the password-reset link
    in the e-mail). Refused for someone who holds the role or has an unanswered invitation.
    """
    email = _clean_email(email)
    role = _clean_role(role)
    if load_quota is not None and not 1 <= load_quota <= LOAD_QUOTA_MAX:
        raise DomainError(
            f"The load must be from 1 to {LOAD_QUOTA_MAX} papers, or empty for no limit."
        )
    with transaction.atomic():
        user, created = _user_for(email, display_name=display_name, affiliation=affiliation)
        if VenueRole.objects.filter(venue=venue, user=user, role=role).exists():
            raise DomainError(
                f"{user.display_name or email} is already {venue.role_label(role)} "
                f"at {venue.name}.",
                field="email",
            )
        pending = RoleInvitation.objects.filter(
            venue=venue, user=user, role=role, state=RoleInvitationState.PENDING
        ).first()
        if pending is not None:
            raise DomainError(
                f"{user.display_name or email} was invited as {venue.role_label(role)} on "
                f"{timezone.localtime(pending.created_at):%d %b %Y} and has not answered yet.",
                field="email",
            )
        invitation = RoleInvitation.objects.create(
            venue=venue, user=user, role=role, load_quota=load_quota, invited_by=actor
        )
        audit_log(
            venue=venue,
            actor=actor,
            action="role.invited",
            data={
                "user": user.pk,
                "email": email,
                "role": role,
                "new_account": created,
                "invitation": invitation.pk,
            },
        )
        email_queue(
            to=email,
            recipient=user,
            template="journal/dashboard/emails/role_invitation",
            context={
                "name": user.display_name or email,
                "email": email,
                "inviter": actor.display_name or actor.email,
                "role_label": venue.role_label(role, title=True),
                "new_account": created,
                "answer_path": reverse("journal:role-invitation", args=[invitation.pk]),
            },
            venue=venue,
            dedupe_key=f"role-invitation:{invitation.pk}",
        )
    return invitation


def venue_role_update(
    *,
    venue: Venue,
    actor: User,
    role_id: int,
    load_quota: int | None,
    unavailable_until: date | None = None,
) -> VenueRole:
    """Change a person's load quota (None: no limit) and the date they are away until."""
    if load_quota is not None and not 1 <= load_quota <= LOAD_QUOTA_MAX:
        raise DomainError(
            f"The load must be a number of papers from 1 to {LOAD_QUOTA_MAX}, or empty."
        )
    with transaction.atomic():
        venue_role = VenueRole.objects.select_for_update().filter(venue=venue, pk=role_id).first()
        if venue_role is None:
            raise DomainError("This role does not exist (any more).")
        before = (venue_role.load_quota, venue_role.unavailable_until)
        if before == (load_quota, unavailable_until):
            return venue_role
        venue_role.load_quota = load_quota
        venue_role.unavailable_until = unavailable_until
        venue_role.save(update_fields=["load_quota", "unavailable_until"])
        audit_log(
            venue=venue,
            actor=actor,
            action="role.updated",
            data={
                "user": venue_role.user_id,
                "role": venue_role.role,
                "load_quota": [before[0], load_quota],
                "unavailable_until": [
                    before[1].isoformat() if before[1] else None,
                    unavailable_until.isoformat() if unavailable_until else None,
                ],
            },
        )
    return venue_role


def venue_role_set_away(
    *, venue_role: VenueRole, actor: User, unavailable_until: date | None
) -> VenueRole:
    """Let a person say they are away (until a date, None: back) in one of their roles."""
    if not actor.has_perm("journal.set_own_availability", venue_role):
        raise DomainError("Only the person holding the role says when they are away.")
    if unavailable_until is not None and unavailable_until < timezone.localdate():
        raise DomainError(
            "Choose a return date from today on, or clear it.", field="unavailable_until"
        )
    with transaction.atomic():
        locked = VenueRole.objects.select_for_update().get(pk=venue_role.pk)
        if locked.unavailable_until == unavailable_until:
            return locked
        before = locked.unavailable_until
        locked.unavailable_until = unavailable_until
        locked.save(update_fields=["unavailable_until"])
        audit_log(
            venue=locked.venue,
            actor=actor,
            action="role.availability",
            data={
                "role": locked.role,
                "unavailable_until": [
                    before.isoformat() if before else None,
                    unavailable_until.isoformat() if unavailable_until else None,
                ],
            },
        )
    return locked


def away_editor_reminders_send(*, today: date | None = None) -> int:
    """Once a week, remind action editors marked away that their date stands (TMLR does):
    they update it when they are back early. Return how many reminders were queued."""
    today = today or timezone.localdate()
    week = today.isocalendar()
    queued = 0
    roles = VenueRole.objects.filter(
        role=RoleKind.ACTION_EDITOR, unavailable_until__gte=today, user__is_active=True
    ).select_related("venue", "user")
    for role in roles:
        email = email_queue(
            to=role.user.email,
            recipient=role.user,
            template="journal/emails/away_reminder",
            context={"name": role.user.display_name, "until": role.unavailable_until},
            venue=role.venue,
            dedupe_key=f"away:{role.pk}:{role.unavailable_until}:{week[0]}-{week[1]}",
        )
        queued += email is not None
    return queued


def venue_role_remove(*, venue: Venue, actor: User, role_id: int) -> None:
    """Take a role away. The last chief stays; an editor with open papers is reassigned first."""
    with transaction.atomic():
        venue_role = (
            VenueRole.objects.select_for_update()
            .select_related("user")
            .filter(venue=venue, pk=role_id)
            .first()
        )
        if venue_role is None:
            raise DomainError("This role does not exist (any more).")
        if (
            venue_role.role == RoleKind.CHIEF
            and not venue.roles.filter(role=RoleKind.CHIEF).exclude(pk=venue_role.pk).exists()
        ):
            raise DomainError("A venue needs at least one editor-in-chief; name another first.")
        if venue_role.role == RoleKind.ACTION_EDITOR:
            handled = venue.submissions.filter(
                action_editor=venue_role.user, state__in=SubmissionState.OPEN
            ).count()
            if handled:
                raise DomainError(
                    f"{venue_role.user} still handles {handled} open paper(s); "
                    "assign them to another action editor first."
                )
        venue_role.delete()
        audit_log(
            venue=venue,
            actor=actor,
            action="role.removed",
            data={"user": venue_role.user_id, "role": venue_role.role},
        )


def venue_roles_import_csv(
    *, venue: Venue, actor: User, content: bytes | str, role: str = RoleKind.REVIEWER
) -> ImportReport:
    """Invite everyone listed in a CSV file (columns email, name, affiliation, load_quota);
    each gets an invitation to accept or decline, as one invited from the roles page.

    The file is checked whole first: with any problem nothing is imported and
    RolesImportError lists every problem by line. People who already hold the role are
    skipped and reported.
    """
    role = _clean_role(role)
    rows = _parse_csv(content)
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    clean: list[tuple[int, dict]] = []
    for line, row in rows:
        raw_email = (row.get("email") or "").strip()
        try:
            email = _clean_email(raw_email)
        except DomainError as exc:
            problems.append(RowProblem(line, raw_email, exc.message))
            continue
        if email in seen:
            problems.append(RowProblem(line, email, f"Listed twice (first on line {seen[email]})."))
            continue
        seen[email] = line
        name = " ".join((row.get("name") or "").split())
        if len(name) > 200:
            problems.append(RowProblem(line, email, "The name is longer than 200 characters."))
            continue
        quota_text = (row.get("load_quota") or "").strip()
        quota = None
        if quota_text:
            if not quota_text.isdigit() or int(quota_text) < 1 or int(quota_text) > 1000:
                problems.append(
                    RowProblem(
                        line,
                        email,
                        f"load_quota “{quota_text}” is not a whole number between 1 and 1000.",
                    )
                )
                continue
            quota = int(quota_text)
        affiliation = " ".join((row.get("affiliation") or "").split())[:300]
        clean.append(
            (line, {"email": email, "name": name, "affiliation": affiliation, "quota": quota})
        )
    if problems:
        raise RolesImportError(
            f"Nothing was imported: {len(problems)} row(s) need fixing.", problems=problems
        )
    report = ImportReport()
    holders = set(
        venue.roles.filter(role=role, user__email__in=list(seen)).values_list(
            "user__email", flat=True
        )
    )
    invited = set(
        venue.role_invitations.filter(
            role=role, state=RoleInvitationState.PENDING, user__email__in=list(seen)
        ).values_list("user__email", flat=True)
    )
    with transaction.atomic():
        for line, row in clean:
            if row["email"] in holders:
                report.skipped.append(
                    RowProblem(line, row["email"], f"Already {venue.role_label(role)}.")
                )
                continue
            if row["email"] in invited:
                report.skipped.append(
                    RowProblem(line, row["email"], "Invited already; no answer yet.")
                )
                continue
            report.added.append(
                venue_role_invite(
                    venue=venue,
                    actor=actor,
                    email=row["email"],
                    role=role,
                    display_name=row["name"],
                    affiliation=row["affiliation"],
                    load_quota=row["quota"],
                )
            )
        audit_log(
            venue=venue,
            actor=actor,
            action="role.imported",
            data={"role": role, "added": len(report.added), "skipped": len(report.skipped)},
        )
    return report


def _parse_csv(content: bytes | str) -> list[tuple[int, dict]]:
    if isinstance(content, bytes):
        if len(content) > MAX_IMPORT_BYTES:
            raise DomainError("The file is larger than 2 MB; split it.", field="file")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    reader = csv.DictReader(io.StringIO(content))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header:
        raise DomainError(
            "The first line must name the columns, including “email” "
            "(e.g. email,name,affiliation,load_quota).",
            field="file",
        )
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            rows.append((reader.line_num, row))
            if len(rows) > MAX_IMPORT_ROWS:
                raise DomainError(f"The file has more than {MAX_IMPORT_ROWS} rows; split it.")
    except csv.Error as exc:
        raise DomainError(f"The file is not valid CSV: {exc}.", field="file") from None
    if not rows:
        raise DomainError("The file lists nobody.", field="file")
    return rows


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise DomainError("An e-mail address is required.", field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(f"“{email}” is not an e-mail address.", field="email") from None
    return email


def _clean_role(role: str) -> str:
    try:
        return RoleKind(role).value
    except ValueError:
        raise DomainError(f"“{role}” is not a role.", field="role") from None


def _user_for(email: str, *, display_name: str, affiliation: str) -> tuple[User, bool]:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(
        email=email,
        display_name=(" ".join(display_name.split()) or email.split("@")[0])[:200],
        affiliation=affiliation[:300],
    )
    user.set_unusable_password()
    user.save()
    return user, True
