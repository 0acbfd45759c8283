"""Rescoring in the background after imports and edits.

Registry writes (``registry.services``, the import pipeline) call ``request_rescoring()`` inside
their transaction; after the commit it enqueues one ``rescore_changed`` task unless one is already
waiting, so a burst of edits costs one ``score_welfare --changed-only`` run, which picks up every
family changed since it was scored.
"""

from __future__ import annotations

from django.db import transaction
from django.tasks import task, task_backends

from sejahtera.monitoring.tasks import request_refresh
from sejahtera.welfare.scoring import welfare_score


@task()
def rescore_changed() -> dict[str, int]:
    runs = welfare_score(changed_only=True)
    request_refresh()
    return {run.regency_code: run.scored for run in runs}


def _waiting() -> bool:
    """A rescoring task is queued and not yet picked up (only the database backend can tell)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[rescore_changed.backend], DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(task_path=rescore_changed.module_path).exists()


def _enqueue_once() -> None:
    if not _waiting():
        rescore_changed.enqueue()


def request_rescoring() -> None:
    transaction.on_commit(_enqueue_once)
