"""Compiled rules select, in the database, exactly the rows a plain Python evaluation selects.

A generated regency is written and scored once for the module (inside a transaction rolled
back at the end), with a few awkward rows added: a merged person, a person without a family,
a family without members, one without a head, one with two heads, one whose score was retired.
The records the Python evaluator reads are loaded here, independently of the rules package.
"""

import datetime
from collections import Counter
from functools import cache

import pytest
from django.db import transaction
from django.db.models import Count

from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.programs.rules import matches, parse_rule
from sejahtera.registry.models import Family, Person
from sejahtera.welfare.models import WelfareScore
from sejahtera.welfare.scoring import welfare_score

REGENCY = "3201"
REFERENCE = datetime.date(2025, 6, 30)
pytestmark = pytest.mark.django_db


@cache
def regency():
    return generate_regency(REGENCY, families=400, seed=23, reference_date=REFERENCE)


def add_awkward_rows():
    """Rows the rules must handle: each one changes what some rule below selects."""
    families = list(Family.objects.order_by("id").values_list("id", flat=True))
    # A person merged into another record has left the registry.
    merged, survivor = Person.objects.filter(family_id=families[0]).order_by("id")[:2]
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    # A person without a family is no target of person rules.
    loose = Person.objects.filter(family_id=families[1]).exclude(relationship=1).order_by("id").first()
    Person.objects.filter(pk=loose.pk).update(family=None)
    # No head, and two heads.
    Person.objects.filter(family_id=families[2], relationship=1).update(relationship=11)
    second = Person.objects.filter(family_id=families[3]).exclude(relationship=1).order_by("id").first()
    Person.objects.filter(pk=second.pk).update(relationship=1)
    # A family without members, and one whose current score was retired.
    empty = Family.objects.create(no_kk="3201010101250001", desa_id=Family.objects.get(pk=families[4]).desa_id)
    WelfareScore.objects.filter(family_id=families[5], is_current=True).update(is_current=False)
    return empty


def load_records():
    """Families and persons as plain dicts, read with the ORM's own filters."""
    scores = {row["family_id"]: row for row in WelfareScore.objects.filter(is_current=True).values(
        "family_id", "desil", "is_poor", "is_extremely_poor", "predicted_per_capita")}
    families = {row["id"]: {**row, "score": scores.get(row["id"]), "members": []}
                for row in Family.objects.values("id", "desa_id")}
    persons = []
    for row in Person.objects.filter(merged_into__isnull=True, family__isnull=False).values(
            "id", "family_id", "birth_date", "sex", "education", "jkn_status", "employment_status", "disability",
            "relationship", "marital_status", "desa_id"):
        family = families[row["family_id"]]
        person = {**row, "family": family}
        family["members"].append(person)
        persons.append(person)
    return families, persons


@pytest.fixture(scope="module")
def registry(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        write_regency(regency())
        welfare_score()
        empty = add_awkward_rows()
        families, persons = load_records()
        kecamatan = Counter(f["desa_id"][:6] for f in families.values()).most_common(3)
        yield {"families": families, "persons": persons, "empty": empty.pk,
               "kecamatan": [code for code, _ in kecamatan]}
        transaction.set_rollback(True)


def dotted(code: str) -> str:
    return f"{code[:2]}.{code[2:4]}.{code[4:6]}"


PERSON_RULES = [
    'desil <= 4 and jkn == "none"',
    'age between 18 and 25 and education >= "SLTA" and family.desil <= 5',
    'age >= 60 or disability != "none"',
    'sex == "P" and marital in ["divorced", "widowed"] and relationship == "head"',
    'employment == "unemployed" and age between 15 and 64 and not poor',
    'age_on("2026-07-01") between 7 and 12 and education < "SMP"',
    'count(member where age < 18) >= 3 and relationship == "child"',
    'any member (disability != "none") and age < 18',
    'no member (employment == "working")',
    'every member (jkn != "none")',
    'family.size >= 5 and head.education >= "SMA"',
    "not (desil > 3) and extremely_poor == false",
    "desil != 5 and family.per_capita < 900000",
    "age == 0 or age == 17 or age in [30, 31]",
    'education not between "SD" and "SLTA" and sex == "L"',
    'head.age_on("2024-02-29") >= 50 and count(member) between 2 and 3',
    'count(member where sex == "P") == 0 or desil not in [1, 2, 3]',
    "umur_pada(\"2028-02-29\") < 10 atau tidak (desil antara 2 dan 9)",
    "true",
    "poor and any member (count(member where age < 5) >= 2)",
]

FAMILY_RULES = [
    'desil <= 4 and any member (jkn == "none")',
    "count(member where age < 18) >= 2",
    "size >= 6 or size <= 1",
    "poor and not extremely_poor",
    'head.sex == "P" and head.marital in ["divorced", "widowed"]',
    'head.education >= "SLTA" and desil between 3 and 5',
    'no member (employment == "working") and size >= 2',
    'every member (jkn in ["pbi_national", "pbi_daerah"])',
    'any member (age_on("2026-07-01") between 7 and 12 and education < "SD")',
    "per_capita < 700000 or desil == 1",
    'count(member where disability != "none") == 1',
    "count(member where age >= 60) != 0 and desil not in [9, 10]",
    "not (desil >= 1)",
    "any member (family.count(member where age < 5) >= 2)",
    "head.age between 20 and 30 or head.age > 75",
    "not any member (relationship == \"head\") or count(member where relationship == \"head\") >= 2",
    "size == 0",
    "head.desil <= 2 and head.family.size >= 3",
]


def python_ids(rule, records):
    return {r["id"] for r in records if rule.holds(r, reference_date=REFERENCE)}


def compiled_ids(rule):
    return set(rule.matches(reference_date=REFERENCE).values_list("id", flat=True))


@pytest.mark.parametrize("text", PERSON_RULES)
def test_person_rule_matches_the_python_evaluation(registry, text):
    persons = registry["persons"]
    rule = parse_rule(text, "person")
    expected = python_ids(rule, persons)
    assert compiled_ids(rule) == expected
    if text != "true":
        assert 0 < len(expected) < len(persons), "the rule should split the persons"


@pytest.mark.parametrize("text", FAMILY_RULES)
def test_family_rule_matches_the_python_evaluation(registry, text):
    families = registry["families"].values()
    rule = parse_rule(text, "family")
    expected = python_ids(rule, families)
    assert compiled_ids(rule) == expected
    assert 0 < len(expected) < len(families), "the rule should split the families"


def test_region_rules_with_and_without_dots(registry):
    first, second, third = registry["kecamatan"]
    for target, records in (("person", registry["persons"]), ("family", registry["families"].values())):
        for text in (f'kecamatan == "{dotted(first)}"', f'kecamatan == "{first}" or desil == 1',
                     f'kecamatan in ["{dotted(second)}", "{third}"] and not poor',
                     f'kecamatan != "{first}" and desa != "{first}0001"'):
            rule = parse_rule(text, target)
            expected = python_ids(rule, records)
            assert compiled_ids(rule) == expected, text
            assert expected
    desa = next(iter(registry["families"].values()))["desa_id"]
    dotted_desa = f"{dotted(desa)}.{desa[6:]}"
    rule = parse_rule(f'family.desa == "{dotted_desa}"', "person")
    assert compiled_ids(rule) == python_ids(rule, registry["persons"]) != set()


def test_the_awkward_rows(registry):
    persons = Person.objects.filter(merged_into__isnull=False) | Person.objects.filter(family__isnull=True)
    assert persons.count() == 2
    everyone = set(matches("true", "person", REFERENCE, queryset=Person.objects.all()).values_list("id", flat=True))
    assert everyone == {p["id"] for p in registry["persons"]}
    assert not everyone & set(persons.values_list("id", flat=True))
    assert set(matches("size == 0", "family", REFERENCE).values_list("id", flat=True)) == {registry["empty"]}
    assert not matches("false", "family", REFERENCE).exists()
    assert not matches("not true", "person", REFERENCE).exists()


def test_user_text_reaches_the_database_only_as_parameters(registry):
    hostile = "x' OR 1=1 --"
    for target, text in (("person", f'kecamatan == "{hostile}"'), ("person", f'desa == "{hostile}"'),
                         ("family", f'head.kecamatan in ["{hostile}", "y"]'),
                         ("family", 'desa == "a\\" OR \\"1\\"=\\"1"')):
        queryset = matches(text, target, REFERENCE)
        sql, params = queryset.query.sql_with_params()
        value = parse_rule(text, target).tree
        assert "OR 1=1" not in sql and '"1"="1' not in sql
        assert any("OR" in str(p) for p in params), (value, params)
        assert queryset.count() == 0


def test_counts_by_kecamatan_for_a_preview(registry):
    rule = parse_rule('desil <= 4 and any member (jkn == "none")', "family")
    by_kecamatan = {row["desa__parent_id"]: row["n"] for row in
                    rule.matches(reference_date=REFERENCE).values("desa__parent_id").annotate(n=Count("id"))}
    expected = Counter(f["desa_id"][:6] for f in registry["families"].values()
                       if rule.holds(f, reference_date=REFERENCE))
    assert by_kecamatan == dict(expected)


def test_ages_are_counted_on_the_reference_date(registry):
    rule = parse_rule("age >= 18", "person")
    earlier = compiled_ids(rule)
    later = set(rule.matches(reference_date=REFERENCE.replace(year=2030)).values_list("id", flat=True))
    assert earlier < later

