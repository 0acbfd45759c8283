"""Matching job seekers and vacancies: hard requirements, score parts, explanations, order."""

from dataclasses import replace

import pytest
from django.utils import translation

from sejahtera.careers.matching import (
    MatchSettings,
    SeekerProfile,
    VacancyProfile,
    match,
    normalize_skill,
    rank_seekers,
    rank_vacancies,
)
from sejahtera.registry.choices import Education

HOME = "320101"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def seeker(**changes) -> SeekerProfile:
    base = SeekerProfile(
        id=1, education=Education.SENIOR_SECONDARY, major="", skills=frozenset({"las listrik", "las mig"}),
        kbji_codes=frozenset({"7212.01"}), work_areas=frozenset(), home_kecamatan=HOME, age=25,
        experience_months=24, expected_wage=4_000_000,
        text="Tukang las berpengalaman mengelas rangka baja dan pipa di bengkel konstruksi", desil=6,
    )
    return replace(base, **changes)


def vacancy(**changes) -> VacancyProfile:
    base = VacancyProfile(
        id=10, title="Tukang Las", description="Mengelas rangka besi dan konstruksi baja dengan las listrik",
        kbji_code="7212.01", min_education=None, majors=frozenset(), skills=frozenset({"las listrik"}),
        age_min=None, age_max=None, min_experience_months=0, kecamatan=HOME, wage_min=None, wage_max=None,
    )
    return replace(base, **changes)


CASHIER = dict(id=20, title="Kasir Minimarket", description="Melayani pembayaran pelanggan di minimarket",
               kbji_code="5230.01", skills=frozenset({"kasir", "pelayanan pelanggan"}))


def test_normalize_skill():
    assert normalize_skill("  Microsoft-Excel ") == "microsoft excel"
    assert normalize_skill("LAS   Listrik") == "las listrik"
    assert normalize_skill("C++") == "c++" and normalize_skill("C#") == "c#"
    assert normalize_skill("Node.js.") == "node.js"
    assert normalize_skill("Pâtisserie / Roti") == "patisserie roti"


def test_a_seeker_meeting_everything_is_eligible_with_no_unmet_requirement():
    result = match(seeker(), vacancy(min_education=Education.JUNIOR_SECONDARY, age_min=18, age_max=40,
                                     min_experience_months=12))
    assert result.eligible and result.unmet == ()


@pytest.mark.parametrize(
    ("seeker_changes", "vacancy_changes", "words"),
    [
        ({"education": Education.JUNIOR_SECONDARY}, {"min_education": Education.SENIOR_SECONDARY}, "below the minimum"),
        ({"education": None}, {"min_education": Education.PRIMARY}, "Education not recorded"),
        ({"age": 17}, {"age_min": 18, "age_max": 35}, "Age 17"),
        ({"age": 41}, {"age_max": 40}, "at most 40"),
        ({"age": None}, {"age_min": 18}, "Age not recorded"),
        ({"experience_months": 6}, {"min_experience_months": 12}, "6 months of work experience, 12 required"),
        ({"major": "Akuntansi"}, {"majors": frozenset({"Teknik Mesin"})}, "Major Akuntansi"),
    ],
)
def test_each_hard_requirement_excludes_on_its_own(seeker_changes, vacancy_changes, words):
    result = match(seeker(**seeker_changes), vacancy(**vacancy_changes))
    assert not result.eligible
    assert len(result.unmet) == 1 and words in result.unmet[0]
    assert match(seeker(), vacancy(**vacancy_changes)).eligible  # the base seeker meets it


def test_majors_bind_only_a_seeker_who_has_a_major():
    v = vacancy(majors=frozenset({"Teknik Mesin", "Teknik Industri"}))
    assert match(seeker(major=""), v).eligible
    assert match(seeker(major="teknik mesin"), v).eligible
    assert not match(seeker(major="Sastra Inggris"), v).eligible


def test_matched_and_missing_skills_are_listed_exactly():
    result = match(seeker(skills=frozenset({"las listrik", "gerinda", "menjahit"})),
                   vacancy(skills=frozenset({"las listrik", "gerinda", "las argon", "k3"})))
    assert result.matched_skills == ("gerinda", "las listrik")
    assert result.missing_skills == ("k3", "las argon")
    assert result.parts["skills"] == pytest.approx(0.5)
    assert "Has 2 of 4 required skills: gerinda, las listrik" in result.reasons
    assert "Missing skills: k3, las argon" in result.reasons


def test_a_vacancy_without_skills_is_neutral_on_skills():
    result = match(seeker(), vacancy(skills=frozenset()))
    assert result.parts["skills"] == 0.5 and result.matched_skills == result.missing_skills == ()


def test_occupation_part_follows_the_depth_of_the_shared_code():
    parts = [match(seeker(kbji_codes=frozenset({code})), vacancy()).parts["occupation"]
             for code in ("7212.02", "7213", "7231", "7411", "5230", "9")]
    assert parts == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    assert match(seeker(kbji_codes=frozenset()), vacancy()).parts["occupation"] == 0.0


def test_reasons_name_the_matched_occupation():
    assert "Desired or past occupation matches (7212 Pekerja Pengelasan)" in match(seeker(), vacancy()).reasons
    related = match(seeker(kbji_codes=frozenset({"7213"})), vacancy()).reasons
    assert any("721 " in reason and "same group" in reason for reason in related)


def test_location_part():
    def location(**changes):
        return match(seeker(**changes), vacancy(kecamatan="320105")).parts["location"]

    assert match(seeker(), vacancy(kecamatan=HOME)).parts["location"] == 1.0
    assert location(work_areas=frozenset({"320105"})) == 0.8
    assert location() == 0.6  # anywhere, same regency
    assert location(home_kecamatan="320201") == 0.4
    assert location(work_areas=frozenset({"320109"})) == 0.0


def test_education_closeness():
    v = vacancy(min_education=Education.SENIOR_SECONDARY)
    assert match(seeker(), v).parts["education"] == 1.0
    assert match(seeker(education=Education.BACHELOR), v).parts["education"] == pytest.approx(0.7)
    assert match(seeker(), vacancy()).parts["education"] == 0.5


def test_text_part_prefers_related_text():
    welding = match(seeker(), vacancy()).parts["text"]
    cashier = match(seeker(), vacancy(**CASHIER)).parts["text"]
    assert welding > cashier >= 0.0
    assert match(seeker(text=""), vacancy()).parts["text"] == 0.0


def test_a_welder_ranks_a_welding_vacancy_above_a_cashier_vacancy():
    ranked = rank_vacancies(seeker(), [vacancy(**CASHIER), vacancy()])
    assert [m.vacancy_id for m in ranked] == [10, 20]
    assert ranked[0].score > ranked[1].score + 30


def test_eligible_vacancies_come_first_even_with_lower_scores():
    ranked = rank_vacancies(seeker(), [vacancy(id=1, min_experience_months=60), vacancy(**{**CASHIER, "id": 2})])
    assert [(m.vacancy_id, m.eligible) for m in ranked] == [(2, True), (1, False)]
    assert ranked[1].score > ranked[0].score


def test_rank_seekers_orders_candidates_by_fit():
    welder = seeker(id=1)
    metal_worker = seeker(id=2, kbji_codes=frozenset({"7213.01"}), skills=frozenset(), text="pekerja logam lembaran")
    cashier = seeker(id=3, kbji_codes=frozenset({"5230.01"}), skills=frozenset({"kasir"}), text="kasir toko")
    too_young = seeker(id=4, age=16)
    ranked = rank_seekers(vacancy(age_min=18), [cashier, too_young, metal_worker, welder])
    assert [m.seeker_id for m in ranked] == [1, 2, 3, 4]
    assert [m.eligible for m in ranked] == [True, True, True, False]
    assert len(rank_seekers(vacancy(), [cashier, welder], limit=1)) == 1


def test_poor_priority_changes_the_order_only_when_enabled():
    # two candidates alike but for one of four skills (7.5 points); the one without it is from a desil-2 family
    skills = frozenset({"las listrik", "las mig", "gerinda", "k3"})
    richer = seeker(id=1, desil=8, skills=skills)
    poorer = seeker(id=2, desil=2, skills=skills - {"k3"})
    v = vacancy(skills=skills)
    assert [m.seeker_id for m in rank_seekers(v, [poorer, richer])] == [1, 2]
    prioritised = rank_seekers(v, [poorer, richer], MatchSettings(poor_priority=True))
    assert [m.seeker_id for m in prioritised] == [2, 1]
    assert any("poor families (desil 2)" in reason for reason in prioritised[0].reasons)
    assert not any("poor families" in reason for reason in prioritised[1].reasons)
    # desil above the maximum, or unknown: no bonus
    for desil in (5, None):
        plain = match(replace(poorer, desil=desil), v)
        assert match(replace(poorer, desil=desil), v, MatchSettings(poor_priority=True)).score == plain.score


def test_scores_stay_within_bounds_and_parts_within_0_and_1():
    settings = MatchSettings(poor_priority=True, poor_bonus=10.0)
    seekers = [seeker(id=i, desil=i % 10 + 1, age=16 + i, kbji_codes=frozenset({code}), experience_months=i * 6)
               for i, code in enumerate(("7212", "7213", "5230", "9", "2341.01", "8322"))]
    vacancies = [vacancy(), vacancy(**CASHIER), vacancy(id=30, skills=frozenset(), kecamatan="327101")]
    for v in vacancies:
        for m in rank_seekers(v, seekers, settings):
            assert 0.0 <= m.score <= 110.0
            assert all(0.0 <= value <= 1.0 for value in m.parts.values())
    perfect = match(seeker(), vacancy(min_education=Education.SENIOR_SECONDARY))
    assert perfect.score > 80


def test_ranking_is_deterministic():
    seekers = [seeker(id=i) for i in (5, 3, 9, 1)]  # identical profiles: ties go by id
    first = rank_seekers(vacancy(), seekers)
    assert [m.seeker_id for m in first] == [1, 3, 5, 9]
    assert rank_seekers(vacancy(), list(reversed(seekers))) == first


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        MatchSettings(occupation=0.5)
    only_skills = MatchSettings(occupation=0, skills=1.0, education=0, location=0, text=0)
    assert match(seeker(), vacancy(), only_skills).score == pytest.approx(100.0)
