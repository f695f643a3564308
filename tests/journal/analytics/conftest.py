"""The dashboard's venue with its people, for the analytics tests."""

from tests.journal.dashboard.conftest import world  # noqa: F401
