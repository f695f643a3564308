"""Change a venue's settings: deadlines, anonymity, review periods, loads, the review form,
and the wording of its outgoing e-mails."""

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from journal.email_wording import WordingError, wording_examples, wording_render
from journal.enums import Anonymity, RoleKind, VenueKind
from journal.errors import DomainError
from journal.models import EmailTemplateKey, User, Venue, VenueEmailTemplate, VenueRole
from journal.services.audit import audit_log
from journal.services.scores import paper_scores_refresh

#: What a chief may change from the settings page, in the order the page shows it.
EDITABLE_FIELDS = (
    "name",
    "description",
    "accepting_submissions",
    "anonymity",
    "timezone",
    "submission_deadline",
    "camera_ready_deadline",
    "review_form",
    "reviewers_per_paper",
    "review_period_days",
    "long_paper_pages",
    "long_review_period_days",
    "editor_assignment_days",
    "reviewer_assignment_days",
    "discussion_days",
    "recommendation_days",
    "meta_review_days",
    "approval_days",
    "page_limit",
    "max_pdf_mb",
    "max_supplement_mb",
    "review_publication",
    "publish_recommendations",
    "authors_may_comment",
    "discussion_after_own_review",
)


def venue_create(
    *,
    actor: User,
    slug: str,
    name: str,
    kind: str = VenueKind.JOURNAL,
    anonymity: str = Anonymity.DOUBLE_BLIND,
    description: str = "",
    review_form_slug: str | None = None,
) -> Venue:
    """Create a venue whose first chief is `actor`; record it.

    A new venue reviews with the newest Peerless balanced form unless another form is named:
    the choice is stored on the venue, so its settings page shows the form it uses.
    """
    from reviews.services.forms import review_form_default, review_form_latest

    slug, name = slug.strip().lower(), name.strip()
    if not name:
        raise DomainError("A venue needs a name.", field="name")
    if Venue.objects.filter(slug=slug).exists():
        raise DomainError(f"There is already a venue at “{slug}”.", field="slug")
    form = (
        review_form_latest(slug=review_form_slug) if review_form_slug else review_form_default()
    )
    venue = Venue(
        slug=slug,
        name=name,
        kind=kind,
        anonymity=anonymity,
        description=description,
        review_form=form,
        # A conference opens for submissions once a chief has set its deadline.
        accepting_submissions=kind != VenueKind.CONFERENCE,
    )
    try:
        venue.full_clean(exclude=["review_form"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field.replace("_", " ").capitalize()
        raise DomainError(f"{label}: {messages[0]}", field=field) from None
    with transaction.atomic():
        venue.save()
        VenueRole.objects.create(venue=venue, user=actor, role=RoleKind.CHIEF)
        audit_log(
            venue=venue,
            actor=actor,
            action="venue.created",
            data={"kind": kind, "review_form": f"{form.slug} v{form.version}"},
        )
    return venue


def venue_update(*, venue: Venue, actor: User, **changes: Any) -> Venue:
    """Apply `changes` to `venue` after checking them all; record what changed.

    Either every change is saved or none is: a DomainError names the first problem.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"These settings cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        changed: dict[str, list[str]] = {}
        for name, value in changes.items():
            if isinstance(value, str) and name not in {"description"}:
                value = value.strip()
            if getattr(locked, name) != value:
                changed[name] = [_plain(getattr(locked, name)), _plain(value)]
                setattr(locked, name, value)
        if not changed:
            return locked
        _check(locked)
        locked.save(update_fields=list(changed))
        if "review_form" in changed:
            paper_scores_refresh(venue=locked)
        audit_log(venue=locked, actor=actor, action="venue.updated", data={"changes": changed})
    return locked


def _check(venue: Venue) -> None:
    try:
        zoneinfo.ZoneInfo(venue.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"“{venue.timezone}” is not a time zone.", field="timezone") from None
    if (venue.long_paper_pages is None) != (venue.long_review_period_days is None):
        raise DomainError(
            "Give both the page count above which a paper is long and its review period, "
            "or neither.",
            field="long_review_period_days",
        )
    if (
        venue.submission_deadline
        and venue.camera_ready_deadline
        and venue.camera_ready_deadline <= venue.submission_deadline
    ):
        raise DomainError(
            "The camera-ready deadline must come after the submission deadline.",
            field="camera_ready_deadline",
        )
    if venue.is_conference and venue.accepting_submissions and not venue.submission_deadline:
        raise DomainError(
            "A conference that accepts submissions needs a submission deadline.",
            field="submission_deadline",
        )
    try:
        venue.full_clean(exclude=["slug", "review_form"], validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field.replace("_", " ").capitalize()
        raise DomainError(f"{label}: {messages[0]}", field=field) from None


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and timezone.is_aware(value):
        return value.isoformat()
    return str(value)


def email_template_preview(
    *, venue: Venue, template: str, subject: str, body: str
) -> tuple[str, str]:
    """Render a proposed wording with made-up plain values; refuse one that may not be used."""
    if template not in EmailTemplateKey.values:
        raise DomainError("This e-mail cannot be reworded.")
    values = {**wording_examples(kind=template), "venue_name": venue.name}
    rendered = {}
    for field, source in (("subject", subject), ("body", body)):
        if not source.strip():
            raise DomainError(f"The {field} cannot be empty.", field=field)
        try:
            rendered[field] = wording_render(source=source, kind=template, values=values)
        except WordingError as exc:
            raise DomainError(f"The {field} cannot be used: {exc}", field=field) from None
    return " ".join(rendered["subject"].split()), rendered["body"]


def venue_email_template_save(
    *, venue: Venue, template: str, subject: str, body: str, actor: User
) -> VenueEmailTemplate:
    """Use `subject` and `body` for the venue's `template` e-mail from now on."""
    email_template_preview(venue=venue, template=template, subject=subject, body=body)
    with transaction.atomic():
        own, created = VenueEmailTemplate.objects.update_or_create(
            venue=venue,
            template=template,
            defaults={
                "subject": subject.strip(),
                "body": body,
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
        audit_log(
            venue=venue,
            actor=actor,
            action="venue.email_template_saved",
            data={"template": template, "created": created},
        )
    return own


def venue_email_template_reset(*, venue: Venue, template: str, actor: User) -> bool:
    """Go back to the default wording of `template`; return whether there was an own one."""
    with transaction.atomic():
        deleted, _ = VenueEmailTemplate.objects.filter(venue=venue, template=template).delete()
        if deleted:
            audit_log(
                venue=venue,
                actor=actor,
                action="venue.email_template_reset",
                data={"template": template},
            )
    return bool(deleted)
