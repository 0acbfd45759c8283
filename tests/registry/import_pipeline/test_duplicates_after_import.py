"""An individuals import queues a scan for probable duplicates among the persons it wrote."""

import io

import pytest
from django.core.management import call_command

from sejahtera.registry.models import DuplicateCandidate, ImportBatch
from sejahtera.registry.tasks import duplicates_after_import
from tests.registry.import_pipeline.helpers import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_import_queues_near_duplicates_for_review(tmp_path, immediate_tasks, django_capture_on_commit_callbacks):
    call_command("generate_registry", "--persons", "3000", "--dirty", "0.04", "--seed", "3", "--out", str(tmp_path),
                 stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        batch = run(tmp_path / "individu.csv").batch
    found = DuplicateCandidate.objects.filter(source=DuplicateCandidate.Source.IMPORT, import_batch=batch)
    assert found.count() >= 20  # the file carries about 60 near-duplicates, some rejected for their NIK
    assert all(candidate.person_b_id for candidate in found)


def test_dry_run_queues_nothing(tmp_path, immediate_tasks, django_capture_on_commit_callbacks):
    call_command("generate_registry", "--persons", "300", "--out", str(tmp_path), stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(tmp_path / "individu.csv", dry_run=True)
    assert callbacks == [] and ImportBatch.objects.get().dry_run


def test_the_task_finds_nothing_to_do_for_an_import_that_wrote_nobody(tmp_path, immediate_tasks):
    call_command("generate_registry", "--persons", "300", "--out", str(tmp_path), stdout=io.StringIO())
    run(tmp_path / "individu.csv")
    again = run(tmp_path / "individu.csv").batch  # every row unchanged
    assert again.unchanged and duplicates_after_import.call(again.pk) == 0
