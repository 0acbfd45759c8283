"""Refreshing the monitoring aggregates in the background.

Whatever changes the figures — a scoring run, an import (which ends in one), a bulk approval —
calls ``request_refresh()`` inside its transaction; after the commit it enqueues one
``refresh_monitoring`` task unless one is already waiting, so a burst of changes costs one refresh.
This module imports nothing of the project at load time, so any app may import it.
"""

from __future__ import annotations

from django.db import transaction
from django.tasks import task, task_backends


@task()
def refresh_monitoring(year: int | None = None) -> list[str]:
    from sejahtera.monitoring.computations import refresh_aggregates

    return refresh_aggregates(year)


def _waiting() -> bool:
    """A refresh is queued and not yet picked up (only the database backend can tell)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[refresh_monitoring.backend], DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(task_path=refresh_monitoring.module_path).exists()


def _enqueue_once() -> None:
    if not _waiting():
        refresh_monitoring.enqueue()


def request_refresh() -> None:
    """Enqueue a refresh of this year's computed realisations once the current transaction commits."""
    transaction.on_commit(_enqueue_once)
