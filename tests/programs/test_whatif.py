"""What-if: a draft rule, quota and amount beside the published ones. Every figure equals a count
made here in plain Python over the rows; the settings service is staff-only and audited."""

import datetime
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Programme
from sejahtera.programs.whatif import programme_whatif
from sejahtera.registry.models import Family, Person
from sejahtera.welfare.models import WelfareScore
from tests.conftest import KECAMATAN_A
from tests.programs.conftest import REGENCY, scored_once_per_module

registry = scored_once_per_module(300, 23)
pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def make_programme(code="uji-whatif", *, target="person", amount=150_000, period="month", quota=30, budget=None):
    return Programme.objects.create(
        regency_code=REGENCY, code=code, name="Uji What-if", agency=Agency.objects.get(code="dinsos"), target=target,
        benefit="cash", amount=amount, period=period, quota=quota, budget=budget, ranking="neediest")


def publish(actor, programme, text):
    rule = services.rule_draft_save(actor=actor, programme=programme, text=text)
    return services.rule_publish(actor=actor, rule=rule)


@pytest.fixture
def planner(make_user):
    return make_user(Role.PLANNER, REGENCY, agency="bappedalitbang", username="planner")


# -- the independent count ------------------------------------------------------------------------

@dataclass
class Expected:
    matches: int
    families: int
    poorest: int
    covered: int
    richest: int
    per_kecamatan: dict


def desil_of_families() -> dict[int, int]:
    return dict(WelfareScore.objects.filter(is_current=True).values_list("family_id", "desil"))


def expected(rows, prefix: str = "") -> Expected:
    """``rows``: (family id, desa code) of every matching row, before the region filter."""
    desil = desil_of_families()
    rows = [(family, desa) for family, desa in rows if desa.startswith(prefix)]
    matched = {family for family, _desa in rows}
    poorest = {pk for pk, desa in Family.objects.values_list("pk", "desa_id")
               if desa.startswith(prefix) and 1 <= desil.get(pk, 99) <= 4}
    return Expected(
        matches=len(rows), families=len(matched), poorest=len(poorest), covered=len(poorest & matched),
        richest=sum(1 for family, _desa in rows if 7 <= desil.get(family, 0) <= 10),
        per_kecamatan=dict(Counter(desa[:6] for _family, desa in rows)),
    )


def persons_where(condition) -> list[tuple[int, str]]:
    desil = desil_of_families()
    persons = Person.objects.filter(merged_into__isnull=True, family__isnull=False)
    return [(p.family_id, p.desa_id) for p in persons if condition(p, desil.get(p.family_id))]


def poor_without_jkn(person, desil):
    return desil is not None and desil <= 4 and person.jkn_status == "none"


def women_up_to_desil_6(person, desil):
    return desil is not None and desil <= 6 and person.sex == "P"


PUBLISHED = 'family.desil <= 4 and jkn == "none"'
DRAFT = 'family.desil <= 6 and sex == "P"'


def check(scenario, want: Expected):
    assert scenario.error is None
    assert scenario.matches == want.matches
    assert scenario.families == want.families
    assert scenario.poorest_families == want.poorest
    assert scenario.poorest_covered == want.covered
    assert scenario.richest_matches == want.richest
    assert scenario.per_kecamatan == want.per_kecamatan


# -- what-if --------------------------------------------------------------------------------------

def test_published_and_draft_side_by_side(officer, planner):
    programme = make_programme()
    publish(officer, programme, PUBLISHED)
    result = programme_whatif(planner, programme, text=DRAFT, quota=25, amount=200_000, reference_date=TODAY)

    published, draft = expected(persons_where(poor_without_jkn)), expected(persons_where(women_up_to_desil_6))
    assert published.matches > 30 and draft.matches > published.matches  # the figures below mean something
    assert draft.richest == 0 and draft.covered > 0
    check(result.published, published)
    check(result.draft, draft)

    # No cycle yet: a calendar year of monthly payments.
    assert result.periods == 12 and result.period_cycle == "2026"
    assert result.published.beneficiaries == 30  # the programme's quota
    assert result.published.cost == 30 * 150_000 * 12
    assert result.draft.beneficiaries == 25
    assert result.draft.cost == 25 * 200_000 * 12
    assert result.draft.coverage == pytest.approx(draft.covered / draft.poorest)

    rows = {row.code: (row.published, row.draft, row.difference) for row in result.rows}
    codes = set(published.per_kecamatan) | set(draft.per_kecamatan)
    assert rows == {code: (published.per_kecamatan.get(code, 0), draft.per_kecamatan.get(code, 0),
                           draft.per_kecamatan.get(code, 0) - published.per_kecamatan.get(code, 0))
                    for code in codes}
    differences = [abs(row.difference) for row in result.rows]
    assert differences == sorted(differences, reverse=True)


def test_no_quota_takes_every_match_and_cost_follows_the_latest_cycle(officer, planner):
    programme = make_programme(quota=None, period="month")
    publish(officer, programme, PUBLISHED)
    services.cycle_create(actor=officer, programme=programme, label="2026-S1", starts_on=datetime.date(2026, 1, 1),
                          ends_on=datetime.date(2026, 6, 30))
    result = programme_whatif(planner, programme, text=PUBLISHED, quota=None, amount=100_000, reference_date=TODAY)
    want = expected(persons_where(poor_without_jkn))
    assert result.periods == 6 and result.period_cycle == "2026-S1"
    assert result.draft.beneficiaries == want.matches
    assert result.draft.cost == want.matches * 100_000 * 6
    assert result.rows and all(row.difference == 0 for row in result.rows)


def test_inclusion_of_the_better_off_is_counted(officer, planner):
    programme = make_programme()
    publish(officer, programme, PUBLISHED)
    result = programme_whatif(planner, programme, text="family.desil >= 6 and age >= 60", quota=None, amount=0,
                              reference_date=TODAY)
    desil = desil_of_families()

    def old_and_better_off(person, family_desil):
        born = person.birth_date
        age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
        return family_desil is not None and family_desil >= 6 and age >= 60

    want = expected(persons_where(old_and_better_off))
    assert want.richest > 0 and want.richest < want.matches  # desil 6 matches are not counted as inclusion
    check(result.draft, want)
    assert result.draft.poorest_covered == 0 and result.draft.coverage == 0
    assert desil  # the regency is scored


def test_family_target(officer, planner):
    programme = make_programme(target="family", period="year", quota=10, amount=1_000_000)
    publish(officer, programme, "desil <= 2")
    result = programme_whatif(planner, programme, text="size >= 4 and desil <= 5", quota=None, amount=500_000,
                              reference_date=TODAY)
    desil = desil_of_families()
    sizes = Counter(Person.objects.filter(merged_into__isnull=True).values_list("family_id", flat=True))
    families = Family.objects.values_list("pk", "desa_id")
    published = expected([(pk, desa) for pk, desa in families if desil.get(pk, 99) <= 2])
    draft = expected([(pk, desa) for pk, desa in families if sizes[pk] >= 4 and desil.get(pk, 99) <= 5])
    check(result.published, published)
    check(result.draft, draft)
    assert result.draft.families == result.draft.matches
    assert result.published.coverage == pytest.approx(published.covered / published.poorest)
    assert result.periods == 1
    assert result.published.cost == min(published.matches, 10) * 1_000_000
    assert result.draft.cost == draft.matches * 500_000


def test_counts_stay_within_the_users_regions(officer, make_user):
    programme = make_programme()
    publish(officer, programme, PUBLISHED)
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)
    result = programme_whatif(verifier, programme, text=DRAFT, quota=None, amount=1, reference_date=TODAY)
    check(result.published, expected(persons_where(poor_without_jkn), KECAMATAN_A))
    check(result.draft, expected(persons_where(women_up_to_desil_6), KECAMATAN_A))
    assert set(result.draft.per_kecamatan) == {KECAMATAN_A}


def test_an_invalid_draft_reports_its_error_and_counts_nothing(officer, planner):
    programme = make_programme()
    publish(officer, programme, PUBLISHED)
    result = programme_whatif(planner, programme, text="family.desill <= 4", quota=None, amount=1,
                              reference_date=TODAY)
    assert result.draft.error is not None and result.draft.error.column == 1
    assert "desil" in result.draft.error.message
    assert result.draft.matches == 0 and result.draft.cost == 0
    assert result.published.matches == expected(persons_where(poor_without_jkn)).matches


def test_without_a_published_rule_only_the_draft_is_counted(planner):
    programme = make_programme()
    result = programme_whatif(planner, programme, text=PUBLISHED, quota=None, amount=1, reference_date=TODAY)
    assert result.published is None and result.published_rule is None
    assert [row.published for row in result.rows] == [0] * len(result.rows)
    assert result.draft.matches == expected(persons_where(poor_without_jkn)).matches


# -- the settings service --------------------------------------------------------------------------

def test_staff_change_quota_amount_and_budget_audited(officer):
    programme = make_programme(quota=40, amount=150_000)
    services.programme_settings_update(actor=officer, programme=programme, quota=60, amount=175_000,
                                       budget=100_000_000)
    programme.refresh_from_db()
    assert (programme.quota, programme.amount, programme.budget) == (60, 175_000, 100_000_000)
    event = AuditEvent.objects.get(object_type="programs.programme", object_id=str(programme.pk))
    assert event.actor == officer and event.action == AuditEvent.Action.UPDATE
    assert event.changes == {"quota": [40, 60], "amount": [150_000, 175_000], "budget": [None, 100_000_000]}

    services.programme_settings_update(actor=officer, programme=programme, quota=60, amount=175_000,
                                       budget=100_000_000)
    assert AuditEvent.objects.filter(object_type="programs.programme").count() == 1  # nothing changed

    services.programme_settings_update(actor=officer, programme=programme, quota=None, amount=175_000, budget=None)
    programme.refresh_from_db()
    assert programme.quota is None and programme.budget is None


def test_only_the_programme_staff_change_settings(make_user, planner):
    programme = make_programme(quota=40)
    other_agency = make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinkes", username="dinkes")
    kecamatan_officer = make_user(Role.AGENCY_OFFICER, KECAMATAN_A, agency="dinsos", username="dinsos-kec")
    for actor in (planner, other_agency, kecamatan_officer):
        with pytest.raises(PermissionDenied):
            services.programme_settings_update(actor=actor, programme=programme, quota=1, amount=1, budget=None)
    programme.refresh_from_db()
    assert programme.quota == 40
    assert not AuditEvent.objects.filter(object_type="programs.programme").exists()


def test_settings_are_checked(officer):
    programme = make_programme(quota=40)
    with pytest.raises(ValidationError) as raised:
        services.programme_settings_update(actor=officer, programme=programme, quota=0, amount=-5, budget=-1)
    assert set(raised.value.message_dict) == {"quota", "amount", "budget"}
    programme.refresh_from_db()
    assert programme.quota == 40
