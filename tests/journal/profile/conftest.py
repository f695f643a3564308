"""The venue world of the dashboard tests, for the profile's self-service."""

from tests.journal.dashboard.conftest import World, world  # noqa: F401
