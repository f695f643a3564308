"""The chair's timeline form: a start and an end for every phase, in one chosen time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms

from journal.enums import Phase
from journal.models import Venue, VenuePhase
from journal.services.phases import PlannedPhase

#: "Anywhere on Earth": the last zone where a day ends (UTC-12, no daylight saving).
AOE = "Etc/GMT+12"


def zone_choices(venue: Venue) -> list[tuple[str, str]]:
    """The zones the timeline can be read and written in: the venue's, AoE and UTC."""
    choices = [(venue.timezone, f"The venue's zone ({venue.timezone})")]
    for value, label in ((AOE, "Anywhere on Earth (AoE, UTC-12)"), ("UTC", "UTC")):
        if value != venue.timezone:
            choices.append((value, label))
    return choices


def zone_of(name: str, venue: Venue) -> ZoneInfo:
    """The zone called `name` if the venue offers it, else the venue's own zone."""
    allowed = {value for value, _ in zone_choices(venue)}
    try:
        return ZoneInfo(name if name in allowed else venue.timezone)
    except ZoneInfoNotFoundError:
        return ZoneInfo("UTC")


class TimelineForm(forms.Form):
    """One start and one end per phase; a phase left empty is not on the timeline."""

    FORMAT = "%Y-%m-%dT%H:%M"

    def __init__(self, *args, venue: Venue, timeline: list[VenuePhase], **kwargs):
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.fields["zone"] = forms.ChoiceField(
            choices=zone_choices(venue), label="Times are in", initial=venue.timezone
        )
        zone = zone_of(self.data.get("zone", "") if self.is_bound else "", venue)
        planned = {row.phase: row for row in timeline}
        for phase in Phase:
            row = planned.get(phase)
            for part in ("starts_at", "ends_at"):
                widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=self.FORMAT)
                self.fields[f"{phase.value}-{part}"] = forms.DateTimeField(
                    required=False,
                    label=f"{phase.label} {'starts' if part == 'starts_at' else 'ends'}",
                    input_formats=[self.FORMAT, "%Y-%m-%d %H:%M"],
                    widget=widget,
                    initial=getattr(row, part).astimezone(zone).replace(tzinfo=None)
                    if row
                    else None,
                )

        abstracts = planned.get(Phase.SUBMISSION)
        self.fields["submission-abstracts_due"] = forms.DateTimeField(
            required=False,
            label="Abstract deadline",
            help_text="Optional: new papers are registered until then; the full paper is due "
            "when the submission phase ends.",
            input_formats=[self.FORMAT, "%Y-%m-%d %H:%M"],
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=self.FORMAT),
            initial=abstracts.abstracts_due.astimezone(zone).replace(tzinfo=None)
            if abstracts and abstracts.abstracts_due
            else None,
        )

    def abstracts_field(self):
        """The submission phase's abstract deadline, for the template."""
        return self["submission-abstracts_due"]

    def phase_fields(self):
        """(phase, start field, end field) for the template, in timeline order."""
        return [(p, self[f"{p.value}-starts_at"], self[f"{p.value}-ends_at"]) for p in Phase]

    def clean(self):
        cleaned = super().clean()
        zone = zone_of(cleaned.get("zone", ""), self.venue)
        rows = []
        for phase in Phase:
            start = cleaned.get(f"{phase.value}-starts_at")
            end = cleaned.get(f"{phase.value}-ends_at")
            if start is None and end is None:
                continue
            if start is None or end is None:
                self.add_error(
                    f"{phase.value}-starts_at", f"Give {phase.label} both a start and an end."
                )
                continue
            abstracts = None
            if phase == Phase.SUBMISSION:
                abstracts = cleaned.get("submission-abstracts_due")
            rows.append(
                PlannedPhase(
                    phase=phase,
                    starts_at=_aware(start, zone),
                    ends_at=_aware(end, zone),
                    abstracts_due=_aware(abstracts, zone) if abstracts else None,
                )
            )
        cleaned["phases"] = rows
        return cleaned


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    """Read the wall time `moment` (made aware in the server's zone by the field) in `zone`."""
    return moment.replace(tzinfo=None).replace(tzinfo=zone)


class PhaseEnterForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)
    confirm = forms.BooleanField(required=False)


class ScreeningPassAllForm(forms.Form):
    expected = forms.IntegerField(min_value=0)


class ScreeningActionForm(forms.Form):
    ACTIONS = (("pass", "Pass"), ("reject", "Desk-reject"))

    number = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(required=False, max_length=4000)
