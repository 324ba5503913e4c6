"""Celery tasks of the core app."""

from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """A task that does nothing but answer: proves a round trip through the broker and a worker."""
    return "pong"
