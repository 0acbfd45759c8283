"""The live preview of a rule: counts per kecamatan within the user's regions."""

from collections import Counter

import pytest
from django.utils import timezone

from sejahtera.accounts.roles import Role
from sejahtera.programs.rules import RuleError
from sejahtera.programs.selectors import rule_preview
from sejahtera.registry.models import Family, Person
from sejahtera.welfare.models import WelfareScore
from tests.conftest import DESA_A, KECAMATAN_A
from tests.programs.conftest import REGENCY, scored_once_per_module

registry = scored_once_per_module(300, 17)
pytestmark = pytest.mark.django_db


def test_family_rule_counts_per_kecamatan(make_user):
    planner = make_user(Role.PLANNER, REGENCY, agency="bappedalitbang")
    preview = rule_preview(planner, text="desil <= 4", target="family")
    poor = WelfareScore.objects.filter(is_current=True, desil__lte=4).values_list("family__desa_id", flat=True)
    expected = Counter(desa[:6] for desa in poor)
    assert preview.total == sum(expected.values()) > 0
    assert {code: n for code, _name, n in preview.per_kecamatan} == dict(expected)
    assert [n for _code, _name, n in preview.per_kecamatan] == sorted(expected.values(), reverse=True)


def test_person_rule_and_region_scope(make_user):
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)
    preview = rule_preview(verifier, text='age >= 18 and sex == "P"', target="person")
    women = [p for p in Person.objects.filter(merged_into__isnull=True, family__isnull=False,
                                              desa__pk__startswith=KECAMATAN_A)
             if full_years(p.birth_date, timezone.localdate()) >= 18 and p.sex == "P"]
    assert preview.total == len(women) > 0
    assert [code for code, _name, _n in preview.per_kecamatan] == [KECAMATAN_A]
    operator = make_user(Role.DESA_OPERATOR, DESA_A)
    in_desa = rule_preview(operator, text="size >= 1", target="family")
    assert in_desa.total == Family.objects.filter(desa_id=DESA_A, members__isnull=False).distinct().count()


def full_years(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_an_invalid_rule_is_refused(make_user):
    planner = make_user(Role.PLANNER, REGENCY, agency="bappedalitbang")
    with pytest.raises(RuleError):
        rule_preview(planner, text="desill <= 4", target="family")
