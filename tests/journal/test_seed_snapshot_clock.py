"""The snapshot's clock: rows the run stamped as it went land before now, whatever the minute."""

from datetime import datetime, timedelta

import pytest
from django.test import override_settings

from journal.demo.snapshot import snapshot_load, snapshot_read
from journal.models import AuditEvent
from reviews.models import Bid


@pytest.mark.django_db
def test_rows_stamped_after_the_run_started_still_land_before_now(tmp_path):
    document = snapshot_read()
    started = datetime.fromisoformat(document["started"])
    # a minute past the hour since the start: the run's last minute of stamps would have
    # landed ahead of now had the move been counted from the start
    now = started + timedelta(hours=5, seconds=30)

    with override_settings(MEDIA_ROOT=tmp_path):
        snapshot_load(document=document, now=now)

    latest_event = AuditEvent.objects.order_by("-created_at").first().created_at
    latest_bid = Bid.objects.order_by("-updated_at").first().updated_at
    assert now - timedelta(hours=2) < latest_event <= now
    assert latest_bid <= now
