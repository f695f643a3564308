"""Reads of a conference's timeline and current phase."""

from __future__ import annotations

from journal.enums import Phase
from journal.models import Venue, VenuePhase


def venue_timeline(*, venue: Venue) -> list[VenuePhase]:
    """The venue's phases in timeline order (by start)."""
    return list(venue.phases.order_by("starts_at", "pk"))


def phase_is_open(*, venue: Venue, phase: Phase | str) -> bool:
    """Whether the venue is currently in `phase` (the phase service sets `Venue.phase`)."""
    return bool(venue.phase) and venue.phase == phase
