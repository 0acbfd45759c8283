"""The fast path (numpy index, pruning, exact rescoring) equals the plain ranking; the stored batch; the cache log."""

import datetime
import io
import random

import numpy as np
import pytest
from django.core.management import call_command
from django.test import override_settings

from sejahtera.careers import recommend, services
from sejahtera.careers.batch import recommend_all
from sejahtera.careers.matching import MatchSettings, SeekerProfile, VacancyProfile, rank_seekers, rank_vacancies
from sejahtera.careers.matching.ranking import SeekerIndex, VacancyIndex, top_seekers, top_vacancies
from sejahtera.careers.matching.text import default_text_similarity
from sejahtera.careers.models import DesiredOccupation, MatchingChange, Notification, Recommendation, Skill

CODES = ["7212", "7212.01", "7213", "7231", "72", "7", "8160", "8189", "4311", "4321", "5230", "5223", "9329", "8322"]
SKILLS = ["las listrik", "las mig", "bubut", "microsoft excel", "akuntansi", "mengemudi", "sim b1", "kasir",
          "pelayanan pelanggan", "gudang", "forklift", "jahit", "k3"]
WORDS = ["tukang las", "operator produksi", "staf akuntansi", "kasir toko", "sopir truk", "pengemudi ekspedisi",
         "penjahit garmen", "teknisi mesin bubut", "admin gudang", "pelayan restoran", "pengelasan pipa",
         "mengelas konstruksi baja", "teknik mesin", "akuntansi", "tata busana", "perhotelan"]
KECAMATAN = ["320101", "320102", "320103", "320104", "320201"]
MAJORS = ["", "", "Teknik Mesin", "Akuntansi", "Tata Busana"]


def _seekers(rng: random.Random, n: int) -> list[SeekerProfile]:
    return [SeekerProfile(
        id=i + 1, education=rng.choice([None, 3, 4, 5, 5, 6, 7, 8]), major=rng.choice(MAJORS),
        skills=frozenset(rng.sample(SKILLS, rng.randint(0, 4))),
        kbji_codes=frozenset(rng.sample(CODES, rng.randint(0, 2))),
        work_areas=frozenset(rng.sample(KECAMATAN, rng.choice([0, 0, 1, 2]))), home_kecamatan=rng.choice(KECAMATAN),
        age=rng.choice([None, 17, 19, 22, 25, 30, 38, 45, 52]), experience_months=rng.choice([0, 0, 6, 12, 24, 60]),
        expected_wage=None, text=rng.choice(["", "\n".join(rng.sample(WORDS, rng.randint(1, 4)))]),
        desil=rng.choice([None, 1, 3, 5, 9])) for i in range(n)]


def _vacancies(rng: random.Random, n: int) -> list[VacancyProfile]:
    return [VacancyProfile(
        id=i + 1, title=rng.choice(WORDS).title(), description=" ".join(rng.sample(WORDS, 3)),
        kbji_code=rng.choice(CODES[:1] + CODES), min_education=rng.choice([None, 3, 4, 5, 6]),
        majors=frozenset(rng.choice([(), (), ("Teknik Mesin",), ("Akuntansi", "Manajemen")])),
        skills=frozenset(rng.sample(SKILLS, rng.randint(0, 3))), age_min=rng.choice([None, 18]),
        age_max=rng.choice([None, 30, 45]), min_experience_months=rng.choice([0, 0, 12]),
        kecamatan=rng.choice(KECAMATAN), wage_min=None, wage_max=None) for i in range(n)]


def _key(matches):
    return [(m.seeker_id, m.vacancy_id, m.score, m.parts, m.matched_skills, m.missing_skills, m.reasons)
            for m in matches]


@pytest.mark.parametrize("weights", [MatchSettings(), MatchSettings(poor_priority=True)])
def test_top_seekers_equal_the_plain_ranking(weights):
    rng = random.Random(6)
    seekers, vacancies = _seekers(rng, 400), _vacancies(rng, 25)
    similarity = default_text_similarity()
    no_desil = [SeekerProfile(**{**s.__dict__, "desil": None}) for s in seekers]
    index = SeekerIndex(no_desil, similarity)
    allowed = np.array([s.id % 7 != 0 for s in seekers])
    desil = {s.id: s.desil for s in seekers if s.desil is not None}
    for vacancy in vacancies:
        for limit in (1, 10, 50):
            plain = [m for m in rank_seekers(vacancy, [s for s in seekers if s.id % 7], weights) if m.eligible][:limit]
            fast = top_seekers(index, vacancy, weights, limit=limit, allowed=allowed, desil=desil)
            assert _key(fast) == _key(plain)


def test_top_vacancies_equal_the_plain_ranking():
    rng = random.Random(7)
    seekers, vacancies = _seekers(rng, 60), _vacancies(rng, 300)
    index = VacancyIndex(vacancies, default_text_similarity())
    for settings in (MatchSettings(), MatchSettings(poor_priority=True)):
        for seeker in seekers:
            for limit in (1, 10):
                plain = [m for m in rank_vacancies(seeker, vacancies, settings) if m.eligible][:limit]
                assert _key(top_vacancies(index, seeker, settings, limit=limit)) == _key(plain)


@pytest.mark.django_db
def test_the_batch_stores_what_vacancies_for_seeker_returns(make_seeker, resident, employer, make_vacancy):
    welder = Skill.objects.create(name="Las Listrik")
    vacancies = [make_vacancy(employer, title="Tukang Las", kbji_code="7212"),
                 make_vacancy(employer, title="Operator Produksi", kbji_code="8160"),
                 make_vacancy(employer, title="Staf Akuntansi", kbji_code="4311", min_education=8),
                 make_vacancy(employer, title="Kasir", kbji_code="5230")]
    vacancies[0].skills.add(welder)
    seeker = make_seeker(user=resident, major="Teknik Las")
    seeker.skills.add(welder)
    other = make_seeker(education=3)
    DesiredOccupation.objects.create(seeker=other, kbji_code="5230")
    assert recommend_all(limit=2) == 4
    for who in (seeker, other):
        stored = list(Recommendation.objects.filter(seeker=who).order_by("rank").values_list("vacancy_id", "score"))
        user = resident if who == seeker else None
        if user is not None:
            live = recommend.vacancies_for_seeker(user, who, limit=2)
            assert stored == [(r.vacancy.pk, r.match.score) for r in live]
        assert len(stored) == 2
    call_command("recommend_vacancies", "--limit", "1")
    assert Recommendation.objects.count() == 2 and set(Recommendation.objects.values_list("rank", flat=True)) == {1}


@pytest.mark.django_db
def test_a_change_of_profile_reaches_the_cached_candidates(make_seeker, disnaker, employer, make_vacancy):
    vacancy = make_vacancy(employer, title="Mandor Las", kbji_code="7212", min_experience_months=12)
    seeker = make_seeker()
    recommend.forget()
    assert recommend.candidates_for_vacancy(disnaker, vacancy) == []  # builds the cache
    services.seeker_experience_add(actor=disnaker, seeker=seeker, employer_name="CV Baja", position="Tukang las",
                                   kbji_code="7212", started_on=datetime.date(2020, 1, 1),
                                   ended_on=datetime.date(2021, 12, 1))
    assert MatchingChange.objects.filter(kind="s", object_id=seeker.pk).exists()
    assert [c.seeker_id for c in recommend.candidates_for_vacancy(disnaker, vacancy)] == [seeker.pk]
    recommend.forget()  # the same from a fresh process
    assert [c.seeker_id for c in recommend.candidates_for_vacancy(disnaker, vacancy)] == [seeker.pk]
    with override_settings(SEJAHTERA_CAREERS_POOR_PRIORITY=True):
        assert [c.seeker_id for c in recommend.candidates_for_vacancy(disnaker, vacancy)] == [seeker.pk]


@pytest.mark.django_db
def test_the_nightly_run_tells_a_seeker_once_of_vacancies_opened_since_the_last(make_seeker, resident, employer,
                                                                                make_vacancy):
    make_vacancy(employer, title="Tukang Las", kbji_code="7212")
    seeker = make_seeker(user=resident)
    DesiredOccupation.objects.create(seeker=seeker, kbji_code="7212")
    without_account = make_seeker()
    DesiredOccupation.objects.create(seeker=without_account, kbji_code="7212")
    call_command("recommend_vacancies", stdout=io.StringIO())  # the first run announces nothing
    assert not Notification.objects.filter(user=resident).exists()

    make_vacancy(employer, title="Welder Pipa", kbji_code="7212")  # its employer is notified of the verification
    before = Notification.objects.count()
    out = io.StringIO()
    call_command("recommend_vacancies", stdout=out)
    assert "1 job seekers notified" in out.getvalue()
    assert Notification.objects.count() == before + 1
    [note] = Notification.objects.filter(user=resident)
    assert note.read_at is None and note.url == "/kerja/saya/"
    assert note.text == f"1 lowongan baru cocok untuk Anda: Welder Pipa ({employer.name})"
    assert Recommendation.objects.filter(seeker=without_account).exists()  # stored, but no account to tell

    call_command("recommend_vacancies", stdout=io.StringIO())  # nothing opened since
    assert Notification.objects.count() == before + 1
