"""The demo as a snapshot: rows the real services wrote once, loaded again in one go.

Seeding the demo through the services (`seed_demo_live`) replays every paper's history:
submissions, versions, invitations, reviews, discussion, decisions, the outbox and the audit
trail. That takes minutes. `snapshot_write` records the rows such a run created (and the
PDFs it stored) in `seeds/demo-snapshot.json.xz`; `snapshot_load` inserts them again in bulk
and moves every moment by the time passed since the run, rounded down to the hour, so the
history keeps its gaps and ends just before now.

A snapshot is tied to its inputs (the seed data and the apps' migrations):
`snapshot_inputs()` hashes them, and a snapshot whose hash differs is out of date, and
`seed_demo` seeds through the services instead. `manage.py seed_demo --write-snapshot`
regenerates it (on an empty database: see the Makefile's `demo-snapshot`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import lzma
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from journal.demo.corpus import SEEDS_DIR

FORMAT = 1
SNAPSHOT_PATH = SEEDS_DIR / "demo-snapshot.json.xz"
#: Apps whose rows the demo writes (allauth's `account`: the confirmed e-mail addresses).
APPS = ("journal", "reviews", "account")
#: Rows a demo run leaves that a fresh database should not receive (caches, idempotency).
SKIPPED = {"reviews.TextEmbedding", "journal.IdempotencyKey"}
HOUR = timedelta(hours=1)
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")

Say = Callable[[str], None]


class SnapshotUnusable(Exception):
    """The snapshot cannot be loaded here; `message` says why (the caller seeds live)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Baseline:
    """The highest primary key of every snapshot model before a demo run, and the hash of
    the inputs the run starts from."""

    top: dict[str, int]
    inputs: str


def snapshot_models() -> list[type[models.Model]]:
    """Return the models a snapshot holds, parents before the rows that point at them."""
    chosen = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in SKIPPED and not model._meta.proxy
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def snapshot_inputs() -> str:
    """Return the hash of what a snapshot is made from: the seed data and the migrations.

    The demo code is left out (moving an import must not make the snapshot stale); the
    slow test that seeds through the services checks that the snapshot holds what they
    write today.
    """
    digest = hashlib.sha256()
    files = sorted(p for p in SEEDS_DIR.rglob("*") if p.is_file() and p != SNAPSHOT_PATH)
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for label in ("journal", "reviews"):
        folder = Path(apps.get_app_config(label).path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{label}/{path.name}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def snapshot_baseline() -> Baseline:
    """Record the rows that exist before a demo run (those a migration created, say)."""
    return Baseline(
        {
            model._meta.label: model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            for model in snapshot_models()
        },
        inputs=snapshot_inputs(),
    )


def snapshot_write(*, baseline: Baseline, started: datetime, path: Path = SNAPSHOT_PATH) -> int:
    """Write the rows created since `baseline` and their stored files; return the rows."""
    rows: list[dict] = []
    files: dict[str, str] = {}
    for model in snapshot_models():
        queryset = model.objects.filter(pk__gt=baseline.top[model._meta.label]).order_by("pk")
        rows += serializers.serialize("python", queryset.iterator(chunk_size=2000))
        for field in _file_fields(model):
            for name in queryset.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                with default_storage.open(name, "rb") as handle:
                    files[name] = base64.b64encode(handle.read()).decode("ascii")
    document = {
        "format": FORMAT,
        "inputs": baseline.inputs,
        "started": started.isoformat(),
        "rows": rows,
        "files": files,
    }
    data = json.dumps(document, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    path.write_bytes(lzma.compress(data.encode("utf-8"), preset=9))
    return len(rows)


def snapshot_read(path: Path = SNAPSHOT_PATH) -> dict:
    """Return the snapshot document; raise `SnapshotUnusable` when missing or out of date."""
    if not path.is_file():
        raise SnapshotUnusable("there is no demo snapshot")
    document = json.loads(lzma.decompress(path.read_bytes()))
    if document.get("format") != FORMAT or document.get("inputs") != snapshot_inputs():
        raise SnapshotUnusable(
            "the demo snapshot is out of date (regenerate it with `make demo-snapshot`)"
        )
    return document


def snapshot_load(
    *, document: dict, now: datetime | None = None, say: Say | None = None
) -> dict[str, int]:
    """Insert the snapshot's rows, moved in time to end before `now`; return rows per model.

    All or nothing: a row whose key is taken (the database is not fresh) raises
    `SnapshotUnusable` and leaves the database as it was.
    """
    now = now or timezone.now()
    items = list(serializers.deserialize("python", document["rows"], ignorenonexistent=True))
    # The run stamped some rows with the clock as it went, after it started: the history
    # ends at the latest of those, and that moment must land before `now`.
    ended = max(
        [datetime.fromisoformat(document["started"])]
        + [moment for item in items for moment in _stamps(item.object)]
    )
    shift = _floor_hours(now - ended)
    days = max(timezone.localdate(now) - timezone.localdate(ended), timedelta(0))
    by_model: dict[type[models.Model], list[models.Model]] = {}
    m2m: list[tuple[models.Model, dict]] = []
    for item in items:
        obj = item.object
        _move(obj, shift=shift, days=days)
        by_model.setdefault(type(obj), []).append(obj)
        if item.m2m_data:
            m2m.append((obj, item.m2m_data))
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model, objs in by_model.items():
            taken = model.objects.filter(pk__in=[o.pk for o in objs]).exists()
            if taken:
                raise SnapshotUnusable(
                    f"the database already has {model._meta.verbose_name_plural} "
                    "with the snapshot's keys"
                )
            model.objects.bulk_create(objs, batch_size=500)
            counts[model._meta.label] = len(objs)
            if say is not None:
                say(f"{len(objs)} {model._meta.verbose_name_plural}")
        for obj, relations in m2m:
            for name, ids in relations.items():
                getattr(obj, name).set(ids)
        _reset_sequences(by_model)
    for name, data in document["files"].items():
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(base64.b64decode(data)))
    return counts


def _floor_hours(delta: timedelta) -> timedelta:
    """Round `delta` down to whole hours (deadlines stay on the hour; nothing lands ahead)."""
    hours = int(delta.total_seconds() // 3600)
    return max(hours, 0) * HOUR


def _stamps(obj: models.Model) -> list[datetime]:
    """Return the moments `obj` was stamped with by the clock (fields defaulting to now)."""
    return [
        value
        for field in obj._meta.concrete_fields
        if isinstance(field, models.DateTimeField)
        and field.default is timezone.now
        and (value := getattr(obj, field.attname)) is not None
    ]


def _move(obj: models.Model, *, shift: timedelta, days: timedelta) -> None:
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if value is None:
            continue
        if isinstance(field, models.DateTimeField):
            setattr(obj, field.attname, value + shift)
        elif isinstance(field, models.DateField):
            setattr(obj, field.attname, value + days)
        elif isinstance(field, models.JSONField):
            setattr(obj, field.attname, _move_json(value, shift))


def _move_json(value, shift: timedelta):
    """Move the moments written as ISO text in JSON (a timeline in an audit event, say)."""
    if isinstance(value, dict):
        return {key: _move_json(item, shift) for key, item in value.items()}
    if isinstance(value, list):
        return [_move_json(item, shift) for item in value]
    if isinstance(value, str) and _ISO.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return (moment + shift).isoformat()
    return value


def _file_fields(model: type[models.Model]) -> Iterable[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _reset_sequences(by_model: dict) -> None:
    """Move the databases' key sequences past the inserted keys (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(by_model))
    if not statements:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
