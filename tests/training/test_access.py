"""Only Disnaker staff manage courses and batches; the KBJI code, dates, capacity and place are checked."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.training import services
from sejahtera.training.models import Course, TrainingBatch
from tests.conftest import DESA_A, KECAMATAN_A, REGENCY

pytestmark = pytest.mark.django_db

COURSE = dict(regency_code=REGENCY, code="menjahit", name="Menjahit", vocation="Sewing", hours=160)


@pytest.fixture
def outsiders(make_user):
    """Everyone but Disnaker's staff for the regency."""
    return [
        make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="dinsos"),
        make_user(Role.AGENCY_HEAD, REGENCY, agency="diskopumkm", username="kadiskop"),
        make_user(Role.PLANNER, REGENCY, agency="bappedalitbang", username="planner"),
        make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A, username="verifier"),
        make_user(Role.DESA_OPERATOR, DESA_A, username="operator"),
        make_user(Role.SYSTEM_ADMIN, REGENCY, username="admin"),
        # Disnaker, but only for one kecamatan: regency-wide work is not theirs.
        make_user(Role.AGENCY_OFFICER, KECAMATAN_A, agency="disnaker", username="disnaker-kec"),
    ]


def test_disnaker_officer_and_head_manage_courses(disnaker, make_user):
    course = services.course_create(actor=disnaker, kbji_code="7212.01", **COURSE)
    assert course.kbji_code == "7212.01"
    head = make_user(Role.AGENCY_HEAD, REGENCY, agency="disnaker", username="kadisnaker")
    course = services.course_update(actor=head, course=course, hours=200, is_active=False)
    assert (course.hours, course.is_active) == (200, False)
    events = AuditEvent.objects.filter(object_type="training.course", object_id=str(course.pk))
    assert [e.action for e in events.order_by("id")] == ["create", "update"]
    assert events.order_by("id").last().changes == {"hours": [160, 200], "is_active": [True, False]}


def test_others_may_not_manage_courses_or_batches(outsiders, disnaker, course):
    batch = services.batch_create(actor=disnaker, course=course, label="B1", starts_on=datetime.date(2026, 3, 2),
                                  ends_on=datetime.date(2026, 3, 31), capacity=5, desa_code=DESA_A)
    for user in outsiders:
        with pytest.raises(PermissionDenied):
            services.course_create(actor=user, **COURSE)
        with pytest.raises(PermissionDenied):
            services.course_update(actor=user, course=course, name="Las Karbit")
        with pytest.raises(PermissionDenied):
            services.batch_create(actor=user, course=course, label="B2", starts_on=datetime.date(2026, 3, 2),
                                  ends_on=datetime.date(2026, 3, 31), capacity=5, desa_code=DESA_A)
        for step in (services.batch_open, services.batch_start, services.batch_finish, services.batch_select):
            with pytest.raises(PermissionDenied):
                step(actor=user, batch=batch)
    assert Course.objects.count() == 1
    assert TrainingBatch.objects.get().status == TrainingBatch.Status.PLANNED
    assert course.name == Course.objects.get().name == "Las Listrik"


def test_course_checks(disnaker, course):
    with pytest.raises(ValidationError) as error:
        services.course_create(actor=disnaker, **{**COURSE, "kbji_code": "9999"})
    assert "is not a KBJI 2014 occupation code" in str(error.value)
    with pytest.raises(ValidationError):
        services.course_create(actor=disnaker, **{**COURSE, "hours": 0})
    with pytest.raises(ValidationError):
        services.course_create(actor=disnaker, **{**COURSE, "code": "las-listrik"})


def test_batch_checks_and_states(disnaker, course):
    create = dict(actor=disnaker, course=course, label="B1", starts_on=datetime.date(2026, 3, 2),
                  ends_on=datetime.date(2026, 3, 31), capacity=5, desa_code=DESA_A)
    for bad in ({"ends_on": datetime.date(2026, 3, 1)}, {"capacity": 0}, {"desa_code": "3271011001"},
                {"desa_code": KECAMATAN_A}):
        with pytest.raises(ValidationError):
            services.batch_create(**{**create, **bad})
    batch = services.batch_create(**create)
    with pytest.raises(ValidationError):
        services.batch_create(**create)  # the same label twice
    with pytest.raises(ValidationError):
        services.batch_start(actor=disnaker, batch=batch)  # not open yet
    for step, status in ((services.batch_open, "open"), (services.batch_start, "running"),
                         (services.batch_finish, "finished")):
        batch = step(actor=disnaker, batch=batch)
        assert batch.status == status
    with pytest.raises(ValidationError):
        services.batch_open(actor=disnaker, batch=batch)
    assert AuditEvent.objects.filter(object_type="training.trainingbatch").count() == 4
