"""The refresh runs in the background after scoring and bulk approvals, queued once per burst."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from sejahtera.accounts.models import User
from sejahtera.monitoring import tasks
from sejahtera.monitoring.models import Realisation
from sejahtera.programs import services as programs
from sejahtera.programs.models import Enrolment
from sejahtera.welfare.tasks import rescore_changed

pytestmark = pytest.mark.django_db


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=tasks.refresh_monitoring.module_path).count()


def test_a_burst_of_requests_queues_one_refresh(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.request_refresh()
        tasks.request_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.request_refresh()
    assert queued() == 1


def test_the_task_refreshes_the_computed_figures(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    result = tasks.refresh_monitoring.enqueue(2024)
    assert set(result.return_value) == {"seekers-placed", "blk-trainees", "s1-scholarships"}  # the flows
    assert not Realisation.objects.filter(computed=True, period_start__year=2024).exists()  # no activity in 2024


def test_bulk_approval_and_rescoring_request_a_refresh_after_commit(scenario, django_capture_on_commit_callbacks):
    waiting = Enrolment.objects.filter(cycle=scenario.pbi_cycle, status="verified").order_by("priority")[:1]
    with django_capture_on_commit_callbacks() as callbacks:
        programs.enrolments_approve(actor=User.objects.get(username="agency_head-dinkes-3201"),
                                    cycle=scenario.pbi_cycle, ids_or_filter=[e.pk for e in waiting])
    assert tasks._enqueue_once in callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        rescore_changed.call()
    assert tasks._enqueue_once in callbacks
    for callback in callbacks:
        callback()
    assert queued() == 1


def test_the_score_welfare_command_requests_a_refresh_when_it_scored(scenario, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("score_welfare", stdout=StringIO())
    assert queued() == 1
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("score_welfare", "--changed-only", stdout=StringIO())  # nothing changed since
    assert queued() == 0
