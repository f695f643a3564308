"""Peerless site package and journal domain."""

from journal.celery import app as celery_app

__all__ = ("celery_app",)
