"""Attendance in one statement per day, the 80 % completion rule, certificate numbers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sejahtera.accounts.roles import Role
from sejahtera.training import selectors, services
from sejahtera.training.models import Attendance, Trainee
from tests.conftest import REGENCY
from tests.training.conftest import start

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2026, 2, 2)


def running_batch(disnaker, make_batch, make_person, n: int, **kwargs):
    batch = make_batch(capacity=max(n, 1), ends_on=datetime.date(2026, 6, 30), **kwargs)
    rows = [services.trainee_apply(actor=disnaker, batch=batch, person=make_person()) for _ in range(n)]
    start(disnaker, batch)
    return batch, [Trainee.objects.get(pk=t.pk) for t in rows]


def queries_for_a_day(disnaker, batch, present_ids) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.attendance_record(actor=disnaker, batch=batch, day=FIRST_DAY, present_ids=present_ids)
    return len(captured)


def test_a_day_is_one_statement_whatever_the_number_of_trainees(disnaker, make_batch, make_person):
    small, few = running_batch(disnaker, make_batch, make_person, 2)
    large, many = running_batch(disnaker, make_batch, make_person, 12)
    assert queries_for_a_day(disnaker, small, [few[0].pk]) == queries_for_a_day(
        disnaker, large, [t.pk for t in many[:7]])
    assert Attendance.objects.filter(trainee__batch=large, day=FIRST_DAY, present=True).count() == 7
    assert Attendance.objects.filter(trainee__batch=large, day=FIRST_DAY, present=False).count() == 5

    # Recording the day again corrects it: still one row per trainee and day.
    services.attendance_record(actor=disnaker, batch=large, day=FIRST_DAY, present_ids=[many[0].pk])
    rows = Attendance.objects.filter(trainee__batch=large)
    assert rows.count() == 12
    assert list(rows.filter(present=True).values_list("trainee_id", flat=True)) == [many[0].pk]


def test_attendance_checks(disnaker, make_batch, make_person, make_user):
    batch, rows = running_batch(disnaker, make_batch, make_person, 2)
    other, strangers = running_batch(disnaker, make_batch, make_person, 1)
    with pytest.raises(ValidationError):
        services.attendance_record(actor=disnaker, batch=batch, day=datetime.date(2026, 7, 1), present_ids=[])
    with pytest.raises(ValidationError) as error:
        services.attendance_record(actor=disnaker, batch=batch, day=FIRST_DAY, present_ids=[strangers[0].pk])
    assert str(strangers[0].pk) in error.value.messages[0]
    dinsos = make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="dinsos")
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=dinsos, batch=batch, day=FIRST_DAY, present_ids=[])
    assert not Attendance.objects.exists()


def test_completion_needs_80_percent_and_certificates_are_unique(disnaker, make_batch, make_person):
    batch, (eighty, seventy_nine, always, never_recorded) = running_batch(disnaker, make_batch, make_person, 4)
    services.trainee_drop(actor=disnaker, trainee=never_recorded, reason="Found a job")
    for i in range(100):
        present = [always.pk] + ([eighty.pk] if i < 80 else []) + ([seventy_nine.pk] if i < 79 else [])
        services.attendance_record(actor=disnaker, batch=batch, day=FIRST_DAY + datetime.timedelta(days=i),
                                   present_ids=present)

    with pytest.raises(ValidationError) as error:
        services.trainee_complete(actor=disnaker, trainee=seventy_nine, competent=True)
    assert error.value.code == "attendance"
    assert "attended 79 of 100 days (79%); completing the course needs 80%" in error.value.messages[0]
    seventy_nine.refresh_from_db()
    assert (seventy_nine.status, seventy_nine.certificate_number) == ("attending", "")

    year = timezone.localdate().year
    first = services.trainee_complete(actor=disnaker, trainee=always, competent=True)
    second = services.trainee_complete(actor=disnaker, trainee=eighty, competent=True)
    assert first.certificate_number == f"BLK-{REGENCY}-{year}-00001"
    assert second.certificate_number == f"BLK-{REGENCY}-{year}-00002"
    assert (second.status, second.competent) == ("completed", True)

    sheet = selectors.attendance_sheet(disnaker, batch)
    assert len(sheet.days) == 100
    percents = {row.trainee.pk: sheet.percent(row) for row in sheet.rows}
    assert percents == {always.pk: 100, eighty.pk: 80, seventy_nine.pk: 79}

    # Completing twice, or a trainee never attending, is refused; the database refuses a number twice.
    with pytest.raises(ValidationError):
        services.trainee_complete(actor=disnaker, trainee=eighty, competent=True)
    with pytest.raises(ValidationError):
        services.trainee_complete(actor=disnaker, trainee=never_recorded, competent=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Trainee.objects.filter(pk=seventy_nine.pk).update(certificate_number=first.certificate_number)


def test_not_competent_completes_without_certificate(disnaker, make_batch, make_person):
    batch, (trainee,) = running_batch(disnaker, make_batch, make_person, 1)
    with pytest.raises(ValidationError) as error:
        services.trainee_complete(actor=disnaker, trainee=trainee, competent=True)
    assert error.value.code == "no_attendance"
    services.attendance_record(actor=disnaker, batch=batch, day=FIRST_DAY, present_ids=[trainee.pk])
    done = services.trainee_complete(actor=disnaker, trainee=trainee, competent=False)
    assert (done.status, done.competent, done.certificate_number) == ("completed", False, "")


def test_drop_needs_a_reason(disnaker, make_batch, make_person):
    batch, (trainee,) = running_batch(disnaker, make_batch, make_person, 1)
    with pytest.raises(ValidationError):
        services.trainee_drop(actor=disnaker, trainee=trainee, reason=" ")
    dropped = services.trainee_drop(actor=disnaker, trainee=trainee, reason="Sick")
    assert (dropped.status, dropped.dropped_reason) == ("dropped", "Sick")
    with pytest.raises(ValidationError):
        services.trainee_drop(actor=disnaker, trainee=trainee, reason="Again")
