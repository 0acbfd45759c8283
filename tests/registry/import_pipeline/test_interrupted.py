"""An import whose process was killed is marked failed instead of running forever."""

import os
import socket
import subprocess
import sys

import pytest

from sejahtera.registry.importing.workers import current_worker, import_batches_mark_interrupted
from sejahtera.registry.models import ImportBatch

pytestmark = pytest.mark.django_db


def ended_pid() -> int:
    """The pid of a process that has run and ended (and was waited for)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def batch(status: str, worker: str) -> ImportBatch:
    return ImportBatch.objects.create(file_name="individu.csv", status=status, worker=worker)


def test_only_running_imports_whose_process_on_this_host_ended_are_marked_failed():
    host = socket.gethostname()
    killed = batch(ImportBatch.Status.RUNNING, f"{host}:{ended_pid()}")
    running_here = batch(ImportBatch.Status.RUNNING, current_worker())
    running_elsewhere = batch(ImportBatch.Status.RUNNING, f"another-{host}:{ended_pid()}")
    finished = batch(ImportBatch.Status.DONE, f"{host}:{ended_pid()}")
    unknown = batch(ImportBatch.Status.RUNNING, "")  # from before workers were recorded

    assert import_batches_mark_interrupted() == 1
    killed.refresh_from_db()
    assert killed.status == ImportBatch.Status.FAILED and killed.finished_at is not None
    assert "tidak ada data yang tersimpan" in killed.error
    for other, status in ((running_here, "running"), (running_elsewhere, "running"), (finished, "done"),
                          (unknown, "running")):
        other.refresh_from_db()
        assert other.status == status and other.error == ""
    assert import_batches_mark_interrupted() == 0


def test_the_worker_is_this_host_and_process():
    assert current_worker() == f"{socket.gethostname()}:{os.getpid()}"


def test_the_import_list_shows_a_killed_import_as_failed(login, operator_a):
    killed = batch(ImportBatch.Status.RUNNING, f"{socket.gethostname()}:{ended_pid()}")
    ImportBatch.objects.filter(pk=killed.pk).update(created_by=operator_a, scope_code=operator_a.edit_scopes[0])
    client = login(operator_a)
    html = client.get("/imports/").content.decode()
    assert "individu.csv" in html
    killed.refresh_from_db()
    assert killed.status == ImportBatch.Status.FAILED
