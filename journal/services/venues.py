"""Change a venue's settings: deadlines, anonymity, review periods, loads, the review form,
and the wording of its outgoing e-mails."""

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from journal.email_wording import WordingError, wording_examples, wording_render
from journal.enums import Anonymity, RoleKind, VenueKind
from journal.errors import DomainError
from journal.limits import SUBJECT_AREA_MAX_CHARS, SUBJECT_AREAS_MAX, text_limits_check
from journal.models import (
    EmailTemplateKey,
    Submission,
    User,
    Venue,
    VenueEmailTemplate,
    VenueRole,
)
from journal.services.audit import audit_log
from journal.services.scores import paper_scores_refresh

#: What a chief may change from the settings page, in the order the page shows it.
EDITABLE_FIELDS = (
    "name",
    "description",
    "accepting_submissions",
    "anonymity",
    "timezone",
    "deadlines_in_aoe",
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
    "subject_areas",
    "max_load_quota",
    "reviewer_guide",
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
            if name == "subject_areas":
                value = subject_areas_clean(value)
            elif isinstance(value, str) and name not in {"description"}:
                value = value.strip()
            if getattr(locked, name) != value:
                changed[name] = [_plain(getattr(locked, name)), _plain(value)]
                setattr(locked, name, value)
        if not changed:
            return locked
        _check(locked)
        if "subject_areas" in changed:
            _check_areas_in_use(venue=locked, kept=locked.subject_areas)
        locked.save(update_fields=list(changed))
        if "review_form" in changed:
            paper_scores_refresh(venue=locked)
        audit_log(venue=locked, actor=actor, action="venue.updated", data={"changes": changed})
    return locked


def subject_areas_clean(value: Any) -> list[str]:
    """Return the subject areas of `value` (a list, or text with one area a line) cleaned:
    spaces collapsed, empty lines dropped; refuse repeats and names or lists over the limits.
    """
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        raise DomainError("List the subject areas, one name each.", field="subject_areas")
    areas: list[str] = []
    seen: set[str] = set()
    for item in value:
        name = " ".join(str(item).split())
        if not name:
            continue
        if len(name) > SUBJECT_AREA_MAX_CHARS:
            raise DomainError(
                f"The subject area “{name[:40]}…” has {len(name)} characters; at most "
                f"{SUBJECT_AREA_MAX_CHARS} are allowed.",
                field="subject_areas",
            )
        if name.casefold() in seen:
            raise DomainError(
                f"The subject area “{name}” is listed twice.", field="subject_areas"
            )
        seen.add(name.casefold())
        areas.append(name)
    if len(areas) > SUBJECT_AREAS_MAX:
        raise DomainError(
            f"{len(areas)} subject areas are listed; at most {SUBJECT_AREAS_MAX} are allowed.",
            field="subject_areas",
        )
    return areas


def _check_areas_in_use(*, venue: Venue, kept: list[str]) -> None:
    """Refuse to drop (or rename) an area that papers of the venue are submitted to."""
    used = (
        Submission.objects.filter(venue=venue)
        .exclude(subject_area="")
        .exclude(subject_area__in=kept)
        .values("subject_area")
        .annotate(n=Count("pk"))
        .order_by("subject_area")
    )
    found = [(row["subject_area"], row["n"]) for row in used]
    if found:
        listed = "; ".join(
            f"“{area}” is the subject area of {n} paper{'s' if n != 1 else ''}"
            for area, n in found
        )
        raise DomainError(
            f"{listed}. Keep it, or rename it (the papers move with it) under "
            "“Rename a subject area”.",
            field="subject_areas",
        )


def venue_subject_area_rename(*, venue: Venue, old: str, new: str, actor: User) -> int:
    """Rename the subject area `old` to `new`, moving its papers; return how many moved.

    Where `new` is already another area of the venue, the two are merged: `old` goes from
    the list and its papers join `new`. The list and the papers change together or not at
    all, and the change is recorded.
    """
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        areas = list(locked.subject_areas or [])
        old = " ".join(str(old).split())
        if old not in areas:
            raise DomainError(f"“{old}” is not a subject area of {locked.name}.", field="old")
        cleaned = subject_areas_clean([new])
        if not cleaned:
            raise DomainError("Give the area's new name.", field="new")
        new = cleaned[0]
        if new == old:
            return 0
        existing = next((a for a in areas if a.casefold() == new.casefold() and a != old), None)
        if existing is not None:
            new = existing
            areas.remove(old)
        else:
            areas[areas.index(old)] = new
        moved = Submission.objects.filter(venue=locked, subject_area=old).update(
            subject_area=new
        )
        locked.subject_areas = areas
        locked.save(update_fields=["subject_areas"])
        for role in VenueRole.objects.select_for_update().filter(venue=locked).exclude(
            subject_areas=[]
        ):
            if old in role.subject_areas:
                renamed = [new if area == old else area for area in role.subject_areas]
                role.subject_areas = list(dict.fromkeys(renamed))
                role.save(update_fields=["subject_areas"])
        audit_log(
            venue=locked,
            actor=actor,
            action="venue.subject_area_renamed",
            data={"from": old, "to": new, "merged": existing is not None, "papers": moved},
        )
    return moved


def _check(venue: Venue) -> None:
    text_limits_check(
        labels={"reviewer_guide": "The reviewer guide"}, reviewer_guide=venue.reviewer_guide
    )
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
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
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
