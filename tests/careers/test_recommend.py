"""Recommendations from the database: bulk profiles, equality with the matcher, scoping, poor priority."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sejahtera.careers import recommend
from sejahtera.careers.matching import SeekerProfile, VacancyProfile, rank_seekers, rank_vacancies
from sejahtera.careers.models import DesiredOccupation, JobSeeker, Skill, WorkArea, WorkExperience
from sejahtera.registry.models import Person
from sejahtera.welfare.models import PmtModel, WelfareScore
from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.django_db


def test_profiles_of_200_seekers_take_a_bounded_number_of_queries(make_seeker, django_assert_max_num_queries):
    welder = Skill.objects.create(name="Las Listrik")
    for n in range(200):
        seeker = make_seeker(DESA_A if n % 2 else DESA_B, major="Teknik Mesin")
        seeker.skills.add(welder)
        DesiredOccupation.objects.create(seeker=seeker, kbji_code="7212")
        WorkArea.objects.create(seeker=seeker, kecamatan_code=DESA_B[:6])
        WorkExperience.objects.create(seeker=seeker, employer_name="CV Baja", position="Tukang las", kbji_code="7212.01",
                                      started_on=datetime.date(2022, 1, 1), ended_on=datetime.date(2022, 12, 1))
    with django_assert_max_num_queries(6):
        profiles = recommend.seeker_profiles(JobSeeker.objects.all())
    assert len(profiles) == 200
    first = profiles[0]
    assert first.skills == {"las listrik"} and first.kbji_codes == {"7212", "7212.01"}
    assert first.work_areas == {DESA_B[:6]} and first.experience_months == 12
    assert "Tukang las" in first.text and "Teknik Mesin" in first.text


def _hand_seeker(seeker: JobSeeker, **fields) -> SeekerProfile:
    person = Person.objects.get(pk=seeker.person_id)
    values = dict(id=seeker.pk, education=seeker.education, major=seeker.major, skills=frozenset(),
                  kbji_codes=frozenset(), work_areas=frozenset(), home_kecamatan=seeker.desa_code[:6],
                  age=recommend.age_on(person.birth_date, timezone.localdate()), experience_months=0,
                  expected_wage=seeker.expected_wage, text=seeker.major, desil=None)
    values.update(fields)
    return SeekerProfile(**values)


def _hand_vacancy(vacancy, skills=frozenset()) -> VacancyProfile:
    return VacancyProfile(id=vacancy.pk, title=vacancy.title, description=vacancy.description,
                          kbji_code=vacancy.kbji_code, min_education=vacancy.min_education,
                          majors=frozenset(vacancy.major_list), skills=frozenset(skills), age_min=vacancy.age_min,
                          age_max=vacancy.age_max, min_experience_months=vacancy.min_experience_months,
                          kecamatan=vacancy.kecamatan_code, wage_min=vacancy.wage_min, wage_max=vacancy.wage_max)


@pytest.fixture
def vacancies(make_vacancy, employer):
    return [
        make_vacancy(employer, title="Operator Produksi", kbji_code="8160"),
        make_vacancy(employer, title="Tukang Las", kbji_code="7212", min_education=4),
        make_vacancy(employer, title="Staf Akuntansi", kbji_code="4311", min_education=8),  # too high
        make_vacancy(employer, title="Kasir", kbji_code="5230", age_min=18, age_max=22),  # too old
        make_vacancy(employer, title="Mandor", kbji_code="7212", min_experience_months=24),  # too little
        make_vacancy(employer, title="Draft", state="draft"),  # not public
    ]


def test_recommendations_equal_the_matcher_on_hand_built_profiles(make_seeker, resident, vacancies):
    seeker = make_seeker(user=resident, major="Teknik Las")
    result = recommend.vacancies_for_seeker(resident, seeker, limit=20)
    hand = _hand_seeker(seeker, text="Teknik Las")
    public = [_hand_vacancy(v) for v in vacancies[:5]]
    expected = [m for m in rank_vacancies(hand, public, recommend.match_settings()) if m.eligible]
    assert [(r.vacancy.pk, r.match.score) for r in result] == [(m.vacancy_id, m.score) for m in expected]
    assert [r.vacancy.pk for r in result] == [vacancies[1].pk, vacancies[0].pk]  # same occupation group first
    assert recommend.vacancies_for_seeker(resident, seeker, limit=1)[0].vacancy == vacancies[1]


def test_another_seeker_or_an_employer_gets_404(make_seeker, resident, employer_user, vacancies, django_user_model):
    seeker = make_seeker(user=resident)
    other = make_seeker(user=django_user_model.objects.create_user(username="lain", password="rahasia-uji-123"))
    for user in (other.user, employer_user):
        with pytest.raises(Http404):
            recommend.vacancies_for_seeker(user, seeker)


def test_candidates_equal_the_matcher_and_pass_only_the_eligible(make_seeker, disnaker, employer_user, vacancies):
    vacancy = vacancies[1]  # Tukang Las, at least SLTP
    eligible = [make_seeker(education=5), make_seeker(DESA_B, education=4)]
    make_seeker(education=3)  # below the minimum education
    DesiredOccupation.objects.create(seeker=eligible[1], kbji_code="7212")
    for user in (disnaker, employer_user):
        result = recommend.candidates_for_vacancy(user, vacancy)
        hand = [_hand_seeker(eligible[0], text=""), _hand_seeker(eligible[1], kbji_codes=frozenset({"7212"}), text="")]
        expected = rank_seekers(_hand_vacancy(vacancy), hand, recommend.match_settings())
        assert [(c.seeker_id, c.match.score) for c in result] == [(m.seeker_id, m.score) for m in expected]
        assert result[0].seeker_id == eligible[1].pk and result[0].name == "Neng Rina"
        assert not hasattr(result[0], "nik") and not hasattr(result[0], "phone")


def test_candidates_for_an_unrelated_user_are_404(resident, vacancies):
    with pytest.raises(Http404):
        recommend.candidates_for_vacancy(resident, vacancies[0])


def test_the_experience_requirement_filters_in_sql_as_the_matcher_counts(make_seeker, disnaker, vacancies):
    vacancy = vacancies[4]  # 24 months
    enough, short = make_seeker(), make_seeker()
    WorkExperience.objects.create(seeker=enough, employer_name="A", position="Las", started_on=datetime.date(2020, 1, 1),
                                  ended_on=datetime.date(2021, 12, 1))  # 24 months
    WorkExperience.objects.create(seeker=short, employer_name="A", position="Las", started_on=datetime.date(2020, 1, 1),
                                  ended_on=datetime.date(2021, 11, 1))  # 23 months
    assert [c.seeker_id for c in recommend.candidates_for_vacancy(disnaker, vacancy)] == [enough.pk]


def _score(seeker: JobSeeker, desil: int) -> None:
    family = Person.objects.get(pk=seeker.person_id).family
    WelfareScore.objects.create(family=family, model=PmtModel.objects.first(), regency_code="3201",
                                desa_code=seeker.desa_code, scored_at=timezone.now(), log_predicted=13.0,
                                predicted_per_capita=400_000, rank_in_regency=1, desil=desil)


def test_the_poor_priority_changes_the_order_only_when_on(make_family, operator_a, disnaker, employer_user,
                                                           make_vacancy, employer):
    from sejahtera.careers import services

    vacancy = make_vacancy(employer, title="Tukang Las", kbji_code="7212")
    people = [make_family(operator_a, head_name=name, head_birth=datetime.date(1990, 1, n + 1)).members.get()
              for n, name in enumerate(["Dadang", "Ujang"])]
    seekers = [services.seeker_register(actor=disnaker, nik=p.nik, birth_date=p.birth_date, consent=True,
                                        education=5) for p in people]
    DesiredOccupation.objects.create(seeker=seekers[0], kbji_code="7")  # 7.5 points better, not poor
    _score(seekers[0], 8)
    _score(seekers[1], 2)  # poor family
    off = [c.seeker_id for c in recommend.candidates_for_vacancy(disnaker, vacancy)]
    assert off == [seekers[0].pk, seekers[1].pk]
    with override_settings(SEJAHTERA_CAREERS_POOR_PRIORITY=True):
        on = recommend.candidates_for_vacancy(disnaker, vacancy)
        assert [c.seeker_id for c in on] == [seekers[1].pk, seekers[0].pk]
        # An employer's list never reads welfare data: same order as without the priority.
        with CaptureQueriesContext(connection) as queries:
            employer_view = recommend.candidates_for_vacancy(employer_user, vacancy)
        assert [c.seeker_id for c in employer_view] == off
        assert not any("welfare_welfarescore" in q["sql"] for q in queries.captured_queries)
