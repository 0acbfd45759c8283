"""The synthetic regency: reproducible, valid identities, plausible families and welfare."""

import datetime
import random
import statistics
from collections import Counter, defaultdict

import pytest
from django.conf import settings

from sejahtera.demo.synthetic import names
from sejahtera.demo.synthetic.generator import generate
from sejahtera.demo.synthetic.geography import load_geography, plan_desas
from sejahtera.demo.synthetic.records import SurveyRecord
from sejahtera.demo.synthetic.welfare import EXTREME_POVERTY_LINE, POVERTY_LINE
from sejahtera.regions.models import Region
from sejahtera.registry.choices import Education, EmploymentStatus, MaritalStatus, Relationship
from sejahtera.registry.identity import validate_nik, validate_no_kk
from sejahtera.registry.models import SURVEY_FIELDS

REFERENCE = datetime.date(2026, 6, 30)
FAMILIES = 2000
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Geography of the configured regency, every kecamatan code, and one generated regency."""
    with django_db_blocker.unblock():
        geography = load_geography(settings.SEJAHTERA_REGENCY)
        kecamatan_codes = frozenset(
            Region.objects.filter(level=Region.Level.KECAMATAN).values_list("code", flat=True))
        regency_kecamatan = set(Region.objects.filter(level=Region.Level.KECAMATAN,
                                                      parent_id=settings.SEJAHTERA_REGENCY)
                                .values_list("code", flat=True))
        regency_desa = set(Region.objects.filter(level=Region.Level.DESA,
                                                 code__startswith=settings.SEJAHTERA_REGENCY)
                           .values_list("code", flat=True))
    regency = generate(geography, families=FAMILIES, seed=11, reference_date=REFERENCE)
    return {"geography": geography, "known": kecamatan_codes, "kecamatan": regency_kecamatan,
            "desa": regency_desa, "regency": regency}


def _age(person, on=REFERENCE) -> float:
    return (on - person.birth_date).days / 365.25


def test_same_seed_same_output_other_seed_other_output(world):
    geography = world["geography"]
    first = generate(geography, families=300, seed=5, reference_date=REFERENCE)
    again = generate(geography, families=300, seed=5, reference_date=REFERENCE)
    other = generate(geography, families=300, seed=6, reference_date=REFERENCE)
    assert first.families == again.families
    assert first.families != other.families
    assert [f.no_kk for f in first.families] != [f.no_kk for f in other.families]


def test_every_nik_and_no_kk_validates_cleanly(world):
    regency, known = world["regency"], world["known"]
    niks, no_kks = [], []
    home = 0
    for family in regency.families:
        result = validate_no_kk(family.no_kk, known_kecamatan=known, today=REFERENCE)
        assert result.ok and not result.warnings, (family.no_kk, result)
        assert result.kecamatan_code == family.kecamatan_code
        assert result.date == family.issued_on <= REFERENCE
        no_kks.append(family.no_kk)
        for person in family.members:
            if person.nik is None:
                continue
            check = validate_nik(person.nik, sex=person.sex, birth_date=person.birth_date,
                                 known_kecamatan=known, today=REFERENCE)
            assert check.ok and not check.warnings, (person, check)
            niks.append(person.nik)
            home += check.kecamatan_code == family.kecamatan_code
    assert len(set(niks)) == len(niks)
    assert len(set(no_kks)) == len(no_kks)
    assert 0.75 < home / len(niks) < 0.97  # most NIKs were issued where the family lives
    outside = {n[:4] for n in niks} - {settings.SEJAHTERA_REGENCY}
    assert outside and all(code[:2] == settings.SEJAHTERA_REGENCY[:2] for code in outside)


def test_some_persons_mostly_babies_have_no_nik(world):
    persons = [p for f in world["regency"].families for p in f.members]
    without = [p for p in persons if p.nik is None]
    assert 0.005 < len(without) / len(persons) < 0.025
    assert sum(_age(p) < 1 for p in without) > len(without) / 2


def test_every_kecamatan_and_desa_has_families(world):
    regency = world["regency"]
    per_desa = Counter(f.desa_code for f in regency.families)
    assert set(per_desa) == world["desa"]
    assert {code[:6] for code in per_desa} == world["kecamatan"]
    assert min(per_desa.values()) >= 3
    assert len(regency.families) == FAMILIES
    if settings.SEJAHTERA_REGENCY == "3201":  # Kabupaten Bogor
        assert (len(world["kecamatan"]), len(world["desa"])) == (40, 435)


def test_kelurahan_are_denser_than_desa(world):
    plans = plan_desas(world["geography"], 20_000, random.Random(3))
    assert sum(p.families for p in plans) == 20_000
    kelurahan = [p.families for p in plans if p.desa.is_kelurahan]
    desa = [p.families for p in plans if not p.desa.is_kelurahan]
    assert statistics.mean(kelurahan) > statistics.mean(desa)
    assert statistics.mean(p.urbanity for p in plans if p.desa.is_kelurahan) > 0.7


def test_family_composition_and_ages_are_consistent(world):
    families = world["regency"].families
    sizes = [f.size for f in families]
    assert 3.1 < statistics.mean(sizes) < 3.7
    assert min(sizes) >= 1 and max(sizes) <= 9
    male_heads = sum(f.members[0].sex == "L" for f in families)
    assert male_heads / len(families) > 0.75
    for family in families:
        head, *others = family.members
        assert head.relationship == Relationship.HEAD
        assert all(p.relationship != Relationship.HEAD for p in others)
        for person in family.members:
            assert person.birth_date <= REFERENCE
            assert person.started_on == max(person.birth_date, family.issued_on)
            if person.relationship == Relationship.CHILD:
                assert _age(head) - _age(person) >= 12, family
                mothers = [p for p in family.members if p.sex == "P" and p.relationship in
                           (Relationship.HEAD, Relationship.WIFE)]
                for mother in mothers:
                    gap = _age(mother) - _age(person)
                    assert gap >= 17.9 and gap <= 45.1, family
            elif person.relationship == Relationship.GRANDCHILD:
                assert _age(head) - _age(person) >= 20
            elif person.relationship in (Relationship.PARENT, Relationship.PARENT_IN_LAW):
                assert _age(person) > _age(head)
            if person.relationship in (Relationship.WIFE, Relationship.HUSBAND, Relationship.CHILD_IN_LAW):
                assert person.marital_status == MaritalStatus.MARRIED
            if person.relationship == Relationship.WIFE:
                assert person.sex == "P" and head.sex == "L"
            if _age(person) < 16:
                assert person.marital_status == MaritalStatus.SINGLE


def test_education_and_work_fit_age(world):
    persons = [p for f in world["regency"].families for p in f.members]
    for p in persons:
        age = _age(p)
        if age < 5:
            assert p.education == Education.NONE
        if age < 15:
            assert p.employment_status != EmploymentStatus.WORKING
        if p.education >= Education.BACHELOR:
            assert age >= 22
        if p.occupation == "Pelajar/Mahasiswa":
            assert p.employment_status == EmploymentStatus.IN_SCHOOL and age < 25
        if p.occupation == "Pensiunan":
            assert age >= 58
        if p.employment_status == EmploymentStatus.WORKING:
            assert p.occupation not in ("Belum/Tidak Bekerja", "Mengurus Rumah Tangga", "Pelajar/Mahasiswa")
    disabled = sum(p.disability != "none" for p in persons) / len(persons)
    assert 0.01 < disabled < 0.035
    adults = [p for p in persons if _age(p) >= 25]
    tertiary = sum(p.education >= Education.DIPLOMA_I_II for p in adults) / len(adults)
    assert 0.04 < tertiary < 0.2


def test_survey_answers_follow_hidden_consumption(world):
    families = world["regency"].families
    by = defaultdict(list)
    for f in families:
        for field in ("floor_material", "cooking_fuel", "wall_material", "has_car", "has_refrigerator"):
            by[(field, getattr(f.survey, field))].append(f.consumption_per_capita)
    mean = {key: statistics.mean(values) for key, values in by.items()}
    assert mean[("floor_material", "earth")] < mean[("floor_material", "cement")] < mean[("floor_material", "ceramic")]
    assert mean[("cooking_fuel", "firewood")] < mean[("cooking_fuel", "lpg_3kg")] < mean[("cooking_fuel", "lpg_large")]
    assert mean[("wall_material", "woven_bamboo")] < mean[("wall_material", "masonry")]
    assert mean[("has_car", False)] < mean[("has_car", True)]
    assert mean[("has_refrigerator", False)] < mean[("has_refrigerator", True)]

    persons = sum(f.size for f in families)
    poor = sum(f.size for f in families if f.consumption_per_capita < POVERTY_LINE) / persons
    assert 0.04 < poor < 0.12
    assert any(f.consumption_per_capita < EXTREME_POVERTY_LINE for f in families)
    weighted_mean = sum(f.consumption_per_capita * f.size for f in families) / persons
    assert 900_000 < weighted_mean < 1_600_000
    rural = [f.consumption_per_capita for f in families if f.urbanity < 0.3]
    urban = [f.consumption_per_capita for f in families if f.urbanity > 0.7]
    assert statistics.mean(rural) < statistics.mean(urban)


def test_every_survey_field_is_filled_and_some_measure_consumption(world):
    assert set(SurveyRecord.__slots__) == set(SURVEY_FIELDS)
    families = world["regency"].families
    measured = []
    for f in families:
        s = f.survey
        assert REFERENCE - datetime.timedelta(days=730) <= s.surveyed_on <= REFERENCE
        for field in SURVEY_FIELDS:
            if field != "consumption_per_capita":
                assert getattr(s, field) not in (None, ""), field
        if s.lighting != "pln_metered":
            assert s.installed_power_va == 0
        if s.consumption_per_capita is not None:
            measured.append((s.consumption_per_capita, f.consumption_per_capita))
    assert 0.11 < len(measured) / len(families) < 0.19
    ratios = [observed / hidden for observed, hidden in measured]
    assert 0.9 < statistics.median(ratios) < 1.1  # noisy but unbiased
    assert statistics.pstdev(ratios) > 0.05


def test_names_look_sundanese_and_birth_places_are_in_the_province(world):
    persons = [p for f in world["regency"].families for p in f.members]
    home = names.place_name(world["geography"].regency_name)
    places = Counter(p.birth_place for p in persons)
    assert places.most_common(1)[0][0] == home
    assert places[home] / len(persons) > 0.7
    assert set(places) <= {home} | {place for place, _ in world["geography"].other_regencies}
    first_names = Counter(p.name.split(" ")[0] for p in persons)
    assert len(first_names) > 150
    assert names.place_name("Kota Administrasi Jakarta Selatan") == "Jakarta Selatan"
    assert names.place_name("Kabupaten Bogor") == "Bogor"
    assert min(len(names.TRADITIONAL_MALE), len(names.TRADITIONAL_FEMALE)) >= 60
