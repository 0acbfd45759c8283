"""Career-center statistics: grouped counts equal independent counts, poor families apart, scoped."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sejahtera.accounts.roles import Role
from sejahtera.careers import services
from sejahtera.careers.models import Application, JobSeeker, Placement, Vacancy
from sejahtera.careers.statistics import career_statistics
from sejahtera.training import services as training
from sejahtera.training.models import Internship
from sejahtera.welfare.models import PmtModel, WelfareScore
from tests.conftest import DESA_A, DESA_B, REGENCY

pytestmark = pytest.mark.django_db


def _age_group(birth: datetime.date, year: int) -> str:
    age = year - birth.year  # reached by 31 December
    return "15-24" if age < 25 else "25-34" if age < 35 else "35-44" if age < 45 else "45-54" if age < 55 else "55+"


@pytest.fixture
def career_center(make_seeker, make_family, operator_a, disnaker, employer, make_vacancy, employer_user):
    seekers = [make_seeker(DESA_A, birth=datetime.date(2001, 3, 4), sex="P", education=5),
               make_seeker(DESA_B, birth=datetime.date(1985, 7, 1), sex="L", education=7),
               make_seeker(DESA_A, birth=datetime.date(1970, 1, 9), sex="L", education=3)]
    poor_person = make_family(operator_a, head_name="Ujang", head_birth=datetime.date(1992, 2, 2)).members.get()
    poor = services.seeker_register(actor=disnaker, nik=poor_person.nik, birth_date=poor_person.birth_date,
                                    consent=True, education=4)
    WelfareScore.objects.create(family=poor_person.family, model=PmtModel.objects.first(), regency_code=REGENCY,
                                desa_code=DESA_A, scored_at=timezone.now(), log_predicted=12.5,
                                predicted_per_capita=300_000, rank_in_regency=1, desil=2)
    seekers.append(poor)
    vacancies = [make_vacancy(employer, openings=3), make_vacancy(employer, openings=2, min_education=5),
                 make_vacancy(employer, state="submitted", openings=7)]  # never opened: not counted
    for seeker in seekers:
        services.application_create(actor=disnaker, seeker=seeker, vacancy=vacancies[0])
    Placement.objects.create(person=poor.person, seeker=poor, employer=employer, position="Operator",
                             contract_type=Placement.ContractType.FIXED_TERM, start_date=timezone.localdate())
    Placement.objects.create(person=seekers[1].person, seeker=seekers[1], employer_name="PT Lama", position="Sopir",
                             contract_type=Placement.ContractType.DAILY,
                             start_date=datetime.date(timezone.localdate().year - 1, 6, 1))  # last year
    slot = training.slot_create(actor=disnaker, employer=employer, title="Magang", openings=3, months=3,
                                starts_on=timezone.localdate(), desa_code=DESA_A)
    training.internship_assign(actor=disnaker, slot=slot, person=poor.person)
    return seekers


def _expected(rows, *, key, poor_of):
    counts, poor = Counter(), Counter()
    for row in rows:
        counts[key(row)] += 1
        poor[key(row)] += poor_of(row)
    return counts, poor


def test_figures_equal_independent_counts(career_center, make_user):
    user = make_user(Role.PLANNER, REGENCY, agency="bappedalitbang")
    year = timezone.localdate().year
    stats = career_statistics(user, year)
    poor_ids = set(WelfareScore.objects.filter(is_current=True, desil__lte=4).values_list("family_id", flat=True))
    seekers = list(JobSeeker.objects.select_related("person"))
    is_poor = lambda person: person.family_id in poor_ids  # noqa: E731
    assert stats.seekers.total == len(seekers) == 4 and stats.seekers.poor == 1
    local = timezone.localtime
    for dimension, key in {"month": lambda s: local(s.created_at).month, "kecamatan": lambda s: s.desa_code[:6],
                           "sex": lambda s: s.person.sex, "education": lambda s: s.education,
                           "age_group": lambda s: _age_group(s.person.birth_date, year)}.items():
        counts, poor = _expected(seekers, key=key, poor_of=lambda s: is_poor(s.person))
        assert stats.seekers.of(dimension) == dict(counts), dimension
        assert {g.key: g.poor for g in stats.seekers.by[dimension]} == dict(poor), dimension
    applications = list(Application.objects.select_related("seeker__person"))
    assert stats.applications.total == len(applications) == 4 and stats.applications.poor == 1
    counts, _poor = _expected(applications, key=lambda a: a.seeker.person.sex, poor_of=lambda a: 0)
    assert stats.applications.of("sex") == dict(counts)
    assert stats.placements.total == 1 and stats.placements.poor == 1  # last year's placement is not counted
    assert stats.interns.total == Internship.objects.count() == 1 and stats.interns.poor == 1
    opened = Vacancy.objects.filter(opened_at__isnull=False)
    assert stats.vacancies.total == opened.count() == 2
    assert stats.openings.total == sum(v.openings for v in opened) == 5
    assert stats.openings.of("education") == {None: 3, 5: 2}
    assert stats.training["total"]["trainees"] == 0


def test_scoped_to_the_users_regions(career_center, make_user):
    kecamatan_b = make_user(Role.KECAMATAN_VERIFIER, DESA_B[:6])
    stats = career_statistics(kecamatan_b, timezone.localdate().year)
    assert stats.seekers.total == 1 and stats.seekers.of("kecamatan") == {DESA_B[:6]: 1}
    assert stats.vacancies.total == 0  # the vacancies are in DESA_A's kecamatan
    assert career_statistics(AnonymousUser(), timezone.localdate().year).seekers.total == 0
