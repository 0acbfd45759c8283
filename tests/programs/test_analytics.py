"""Targeting analytics: each figure equals a count made here in plain Python over the generated
regency and the enrolments made through the services; a kecamatan user's figures cover only
their kecamatan; the lists behind the figures hold exactly the counted records.

The regency is written and scored once for the module and the programmes, cycles and approvals
of ``build_scenario`` are made once on top of it, inside a transaction rolled back at the end.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from sejahtera.accounts.models import Agency, Membership, User
from sejahtera.accounts.roles import Role
from sejahtera.programs import analytics, services
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.registry.models import Person
from sejahtera.welfare.models import WelfareScore
from tests.programs.conftest import REGENCY, write_scored

pytestmark = pytest.mark.django_db
THIS_YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
LAST_YEAR = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


# -- the scenario ---------------------------------------------------------------------------------

def staff(role, agency=None, region=REGENCY, name=None):
    user = User.objects.create_user(username=name or f"{role}-{agency}-{region}", password="x")
    Membership.objects.create(user=user, role=role, region_id=region,
                              agency=Agency.objects.get(code=agency) if agency else None)
    return user


@dataclass
class Staff:
    officer: User
    head: User
    verifier: User
    health_officer: User
    health_head: User


def programme(code, *, target="family", group="", agency="dinsos"):
    return Programme.objects.create(
        regency_code=REGENCY, code=code, name=code.replace("-", " ").title(), agency=Agency.objects.get(code=agency),
        target=target, benefit="cash", amount=100_000, period="year", exclusive_group=group)


def open_cycle(people, prog, *, rule=None, label="2026", period=THIS_YEAR, officer=None):
    officer = officer or people.officer
    if rule is not None:
        draft = services.rule_draft_save(actor=officer, programme=prog, text=rule)
        services.rule_publish(actor=officer, rule=draft)
    cycle = services.cycle_create(actor=officer, programme=prog, label=label, starts_on=period[0], ends_on=period[1])
    cycle = services.cycle_open(actor=officer, cycle=cycle)
    services.enrolments_verify(actor=people.verifier, cycle=cycle, ids_or_filter=None)
    return cycle


def approve(people, cycle, enrolments, head=None):
    ids = [e.pk for e in enrolments]
    result = services.enrolments_approve(actor=head or people.head, cycle=cycle, ids_or_filter=ids)
    assert result.changed == len(ids)
    return enrolments


def in_priority(cycle, **filters):
    return list(Enrolment.objects.filter(cycle=cycle, **filters).order_by("priority"))


def build_scenario() -> Staff:
    """Programmes with receiving, rejected and exited enrolments, scholarships of one exclusive
    group approved twice for overlapping and for separate years, and PBI Daerah for persons who
    later got national PBI (in a current and in an ended cycle)."""
    people = Staff(staff(Role.AGENCY_OFFICER, "dinsos"), staff(Role.AGENCY_HEAD, "dinsos"),
                   staff(Role.KECAMATAN_VERIFIER), staff(Role.AGENCY_OFFICER, "dinkes"),
                   staff(Role.AGENCY_HEAD, "dinkes"))
    # Aid for the poor: every other candidate approved, one of them exits, one is rejected.
    aid = open_cycle(people, programme("uji-bantuan"), rule="desil <= 5")
    approved = approve(people, aid, in_priority(aid)[::2])
    services.enrolment_exit(actor=people.officer, enrolment=approved[1], reason="Pindah")
    services.enrolment_reject(actor=people.officer, enrolment=in_priority(aid)[1], reason="Tidak memenuhi")
    # A programme open to everyone, approved for some of the better off: inclusion.
    general = open_cycle(people, programme("uji-umum"), rule="desil >= 3")
    approve(people, general, [e for e in in_priority(general) if e.desil >= 7][:9])
    services.enrolments_activate(actor=people.officer, cycle=general, ids_or_filter=None)
    # Scholarships: c in 2024 then a in 2026 for the same persons (allowed); a closed, then b
    # approved for some of a's scholars in the same year (over the rules).
    young = "age between 15 and 30"
    a, b, c = (programme(f"uji-beasiswa-{x}", target="person", group="uji-beasiswa") for x in "abc")
    last_year = open_cycle(people, c, rule=young, label="2024", period=LAST_YEAR)
    earlier = approve(people, last_year, in_priority(last_year)[:4])
    services.cycle_close(actor=people.officer, cycle=last_year)
    this_year = open_cycle(people, a, rule=young)
    persons = [e.person_id for e in earlier]
    scholars = approve(people, this_year, in_priority(this_year, person_id__in=persons)
                       + in_priority(this_year, person__isnull=False)[-3:])
    services.cycle_close(actor=people.officer, cycle=this_year)
    second = open_cycle(people, b, rule=young)
    twice = {s.person_id for s in scholars[:3]}
    approve(people, second, in_priority(second, person_id__in=twice) + in_priority(second)[-5:-3])
    # PBI Daerah (the seeded programme, Dinkes): last year's cycle has ended, this one has not.
    pbi = Programme.objects.get(code=analytics.PBI_DAERAH)
    today = timezone.localdate()
    ended = open_cycle(people, pbi, label="lalu", period=(today - datetime.timedelta(days=400),
                                                          today - datetime.timedelta(days=1)),
                       officer=people.health_officer)
    old = approve(people, ended, in_priority(ended)[-3:], head=people.health_head)
    current = open_cycle(people, pbi, label="kini", period=(today - datetime.timedelta(days=30),
                                                            today + datetime.timedelta(days=300)),
                         officer=people.health_officer)
    insured = approve(people, current, in_priority(current)[:6], head=people.health_head)
    # Later the national budget takes over some premiums.
    national = [e.person_id for e in insured[:3]] + [old[0].person_id]
    Person.objects.filter(pk__in=national).update(jkn_status="pbi_national")
    return people


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        write_scored(400, 43)
        people = build_scenario()
        yield people
        transaction.set_rollback(True)


# -- the independent count ------------------------------------------------------------------------

HOLDING = {"approved", "active", "completed", "graduated"}


def expected_families(code_length: int, programme=None) -> dict[str, dict[str, int]]:
    enrolments = Enrolment.objects.values_list("family_id", "programme_id", "status")
    receiving = {f for f, p, status in enrolments if status in HOLDING and (programme is None or p == programme.pk)}
    areas = defaultdict(lambda: dict.fromkeys(("poorest", "covered", "poor", "excluded", "receiving", "included",
                                               "multi"), 0))
    for family, desa, desil, poor in WelfareScore.objects.filter(is_current=True).values_list(
            "family_id", "desa_code", "desil", "is_poor"):
        area, receives = areas[desa[:code_length]], family in receiving
        area["poorest"] += desil <= 4
        area["covered"] += desil <= 4 and receives
        area["poor"] += poor
        area["excluded"] += poor and not receives
        area["receiving"] += receives
        area["included"] += desil >= 7 and receives
    return areas


def expected_multi(programme=None) -> set[int]:
    """Ids of the persons over the rules, by looking at every pair of their receiving enrolments."""
    today = timezone.localdate()
    rows = [row for row in Enrolment.objects.filter(person__isnull=False).values(
        "person_id", "programme_id", "status", "programme__exclusive_group", "programme__code",
        "cycle__starts_on", "cycle__ends_on", "person__jkn_status") if row["status"] in HOLDING]
    over = set()
    for row in rows:
        if programme is not None and row["programme_id"] != programme.pk:
            continue
        if (row["programme__code"] == "pbi-jkn-daerah" and row["person__jkn_status"] == "pbi_national"
                and row["cycle__ends_on"] >= today):
            over.add(row["person_id"])
        for other in rows:
            if (other["person_id"] == row["person_id"] and other["programme_id"] != row["programme_id"]
                    and row["programme__exclusive_group"]
                    and other["programme__exclusive_group"] == row["programme__exclusive_group"]
                    and other["cycle__starts_on"] <= row["cycle__ends_on"]
                    and row["cycle__starts_on"] <= other["cycle__ends_on"]):
                over.add(row["person_id"])
    return over


def expected(code_length: int, programme=None, inside: str = REGENCY) -> dict[str, dict[str, int]]:
    areas = expected_families(code_length, programme)
    desa = dict(Person.objects.filter(merged_into__isnull=True).values_list("id", "desa_id"))
    for person in expected_multi(programme):
        if person in desa:
            areas[desa[person][:code_length]]["multi"] += 1
    return {code: area for code, area in areas.items() if code.startswith(inside)}


def figures(result: analytics.Targeting) -> dict[str, dict[str, int]]:
    names = ("poorest", "covered", "poor", "excluded", "receiving", "included", "multi")
    return {row.code: {name: getattr(row, name) for name in names} for row in result.rows
            if any(getattr(row, name) for name in names)}


def busiest_kecamatan() -> str:
    counts = expected(6)
    return max(counts, key=lambda code: counts[code]["poorest"] + counts[code]["multi"])


# -- tests ----------------------------------------------------------------------------------------

def test_all_programmes_per_kecamatan_equal_the_independent_count(scenario):
    planner = staff(Role.PLANNER, "bappedalitbang", name="planner")
    result = analytics.targeting(planner)
    want = expected(6)
    assert figures(result) == {code: area for code, area in want.items() if any(area.values())}
    total = result.total
    for name in ("poorest", "covered", "poor", "excluded", "receiving", "included", "multi"):
        assert getattr(total, name) == sum(area[name] for area in want.values())
    # The scenario exercises every figure, and the definitions differ where they should.
    assert 0 < total.covered < total.poorest and 0 < total.excluded < total.poor
    assert total.included >= 9 and total.multi == len(expected_multi()) >= 4
    assert total.coverage_rate == round(100 * total.covered / total.poorest, 1)
    assert total.uncovered == total.poorest - total.covered
    assert result.kecamatan is None and result.scopes == [REGENCY]


@pytest.mark.parametrize("code", ["uji-bantuan", "uji-umum", "uji-beasiswa-a", "uji-beasiswa-b",
                                  "uji-beasiswa-c", "pbi-jkn-daerah"])
def test_each_programme_equals_the_independent_count(scenario, code):
    planner = staff(Role.PLANNER, "bappedalitbang", name="planner")
    chosen = analytics.programme_get(planner, code)
    result = analytics.targeting(planner, programme=chosen)
    want = expected(6, chosen)
    assert figures(result) == {c: area for c, area in want.items() if any(area.values())}
    assert result.total.receiving > 0
    multi = {"uji-beasiswa-a": 3, "uji-beasiswa-b": 3, "uji-beasiswa-c": 0, "pbi-jkn-daerah": 3}
    assert result.total.multi == multi.get(code, 0)


def test_a_kecamatan_user_counts_only_their_kecamatan_and_its_villages(scenario):
    kecamatan = busiest_kecamatan()
    local = staff(Role.KECAMATAN_VERIFIER, region=kecamatan, name="local")
    result = analytics.targeting(local)
    assert [row.code for row in result.rows] == [kecamatan]
    assert figures(result) == expected(6, inside=kecamatan)
    assert result.total.poorest == expected(6)[kecamatan]["poorest"] > 0

    villages = analytics.targeting(local, kecamatan_code=kecamatan)
    assert villages.kecamatan.code == kecamatan and all(row.code.startswith(kecamatan) for row in villages.rows)
    assert figures(villages) == {c: a for c, a in expected(10, inside=kecamatan).items() if any(a.values())}
    other = next(code for code in expected(6) if code != kecamatan)
    with pytest.raises(Http404):
        analytics.targeting(local, kecamatan_code=other)


def test_a_village_operator_sees_their_village_within_the_kecamatan(scenario):
    desa = next(code for code, area in expected(10).items() if area["poorest"])
    operator = staff(Role.DESA_OPERATOR, region=desa, name="operator")
    result = analytics.targeting(operator)
    assert [row.code for row in result.rows] == [desa[:6]]
    assert figures(result) == {desa[:6]: expected(10)[desa]}


@pytest.mark.parametrize("figure", ["covered", "uncovered", "excluded", "included"])
def test_family_lists_hold_the_counted_families(scenario, figure):
    kecamatan = busiest_kecamatan()
    result = analytics.targeting(scenario.verifier)
    row = next(r for r in result.rows if r.code == kecamatan)
    families = analytics.family_list(scenario.verifier, figure, region=kecamatan)
    assert families.count() == getattr(row, figure)
    everywhere = analytics.family_list(scenario.verifier, figure)
    assert everywhere.count() == getattr(result.total, figure) > 0
    assert all(f.desa_id.startswith(kecamatan) for f in families)
    # Planners read no families, a village operator only their village's.
    planner = staff(Role.PLANNER, "bappedalitbang", name="planner")
    assert not analytics.family_list(planner, figure).exists()
    desa = families.first().desa_id if families.exists() else f"{kecamatan}2001"
    operator = staff(Role.DESA_OPERATOR, region=desa, name="operator")
    assert {f.desa_id for f in analytics.family_list(operator, figure)} <= {desa}


def test_person_list_holds_the_persons_over_the_rules(scenario):
    persons = analytics.person_list(scenario.verifier)
    assert set(persons.values_list("pk", flat=True)) == expected_multi()
    pbi = Programme.objects.get(code="pbi-jkn-daerah")
    assert set(analytics.person_list(scenario.verifier, programme=pbi).values_list("pk", flat=True)) == \
        expected_multi(pbi)
    # A closed cycle still counts: the scholarship was paid for that year.
    assert Cycle.objects.filter(programme__code="uji-beasiswa-a", status="closed").exists()


def test_unknown_programme_is_404(scenario):
    with pytest.raises(Http404):
        analytics.programme_get(scenario.verifier, "tidak-ada")
    assert analytics.programme_get(scenario.verifier, "") is None
