"""The demo's career center: seeded from the registry, consistent, reproducible, once."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from sejahtera.careers import demo, selectors
from sejahtera.careers.models import Application, Employer, JobSeeker, Placement, Vacancy
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.registry.choices import EmploymentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    write_regency(generate_regency("3201", families=400, seed=3, reference_date=datetime.date(2025, 6, 30)))


def test_seed_builds_a_consistent_career_center_once(registry):
    summary = demo.seed("3201", seed=5, employers=20, vacancies=60, seekers=300)
    assert (summary.employers, summary.vacancies, summary.seekers) == (20, 60, 300)
    assert JobSeeker.objects.count() == 300
    assert len({s.ak1_number for s in JobSeeker.objects.all()}) == 300
    assert not Vacancy.objects.exclude(employer__status=Employer.Status.VERIFIED).exists()
    assert all(v.kecamatan_code == v.desa_code[:6] for v in Vacancy.objects.all())
    assert selectors.vacancy_search().count() == Vacancy.objects.filter(
        status=Vacancy.Status.OPEN, deadline__gte=timezone.localdate()).count() > 0
    assert not Application.objects.filter(vacancy__opened_at__isnull=True).exists()
    assert len({s.created_at.date().replace(day=1) for s in JobSeeker.objects.all()}) >= 12  # spread over months
    assert all(s.created_at.date() == s.ak1_issued_on for s in JobSeeker.objects.all())
    assert not Application.objects.filter(applied_at__lt=F("seeker__created_at")).exists()
    assert not Application.objects.values("vacancy", "seeker").annotate(n=Count("id")).filter(n__gt=1).exists()
    placements = Placement.objects.select_related("person", "seeker", "application")
    assert summary.placements == placements.count() == Application.objects.filter(status="hired").count()
    for placement in placements:
        assert placement.person.employment_status == EmploymentStatus.WORKING
        assert placement.seeker.status == JobSeeker.Status.PLACED
        assert placement.application.seeker_id == placement.seeker_id
    assert demo.seed("3201", seed=5).employers == 0  # a second call leaves the data as it is


def test_seed_is_reproducible(registry):
    def seeded():
        demo.seed("3201", seed=5, employers=10, vacancies=20, seekers=50)
        return (list(JobSeeker.objects.order_by("ak1_number").values_list("person_id", "expected_wage")),
                list(Application.objects.order_by("seeker__ak1_number", "vacancy__title", "status")
                     .values_list("seeker__person_id", "vacancy__title", "status")))

    with transaction.atomic():
        first = seeded()
        transaction.set_rollback(True)
    assert seeded() == first
