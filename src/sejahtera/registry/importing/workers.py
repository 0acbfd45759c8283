"""Which process runs an import, so that an import whose process died is not shown as running forever.

An import runs in one transaction: killed (SIGKILL, a power cut, a worker restarted) it leaves
nothing in the registry, but its ``ImportBatch``, saved as running before the transaction began,
would stay "running". Each running batch records its worker as ``host:pid``;
``import_batches_mark_interrupted`` marks failed every running batch whose worker on this host is
gone. A worker on another host cannot be checked from here, and its batches are left as they are.
"""

import os
import socket

from django.utils import timezone, translation
from django.utils.translation import gettext

from sejahtera.registry.models import ImportBatch


def current_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def import_batches_mark_interrupted() -> int:
    """Mark failed the running imports whose process on this host has ended; returns how many."""
    host = socket.gethostname()
    gone = []
    for pk, worker in ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).values_list("pk", "worker"):
        worker_host, _, pid = worker.rpartition(":")
        if worker_host == host and pid.isdigit() and not _alive(int(pid)):
            gone.append(pk)
    if not gone:
        return 0
    with translation.override("id"):
        message = gettext("The import stopped before it finished (its process ended); nothing was saved. "
                          "Please run it again.")
    # only those still running: one that finished meanwhile keeps its outcome
    return ImportBatch.objects.filter(pk__in=gone, status=ImportBatch.Status.RUNNING).update(
        status=ImportBatch.Status.FAILED, error=message, finished_at=timezone.now())
