"""Opening a cycle: the candidates equal an independent computation, in the programme's ranking
order, with the cross-programme rules applied; a frozen cycle ignores later registry changes.

A generated regency is written and scored once for the module, inside a transaction rolled
back at the end; each test's own writes are rolled back after it.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Cycle, EligibilityRule, Enrolment, Programme
from sejahtera.registry import services as registry_services
from sejahtera.registry.models import Family, HouseholdSurvey, Person
from sejahtera.welfare.models import PmtModel, WelfareScore
from sejahtera.welfare.scoring import welfare_score
from tests.programs.conftest import REGENCY, scored_once_per_module

STARTS = datetime.date(2026, 1, 1)
ENDS = datetime.date(2026, 12, 31)
pytestmark = pytest.mark.django_db


registry = scored_once_per_module(500, 31)


def make_programme(code, *, target="family", benefit="cash", ranking="neediest", amount=100_000, period="year",
                   quota=None, budget=None, group="", agency="dinsos"):
    return Programme.objects.create(
        regency_code=REGENCY, code=code, name=code.replace("-", " ").title(), agency=Agency.objects.get(code=agency),
        target=target, benefit=benefit, amount=amount, period=period, quota=quota, budget=budget, ranking=ranking,
        exclusive_group=group)


def publish(actor, programme, text):
    rule = services.rule_draft_save(actor=actor, programme=programme, text=text)
    return services.rule_publish(actor=actor, rule=rule)


def open_cycle(actor, programme, text=None, label="2026"):
    if text is not None:
        publish(actor, programme, text)
    cycle = services.cycle_create(actor=actor, programme=programme, label=label, starts_on=STARTS, ends_on=ENDS)
    return services.cycle_open(actor=actor, cycle=cycle)


def enrolled(cycle):
    """(person, family, priority, desil, log_predicted) of the cycle's enrolments in priority order."""
    return list(Enrolment.objects.filter(cycle=cycle).order_by("priority").values_list(
        "person_id", "family_id", "priority", "desil", "log_predicted"))


# -- the independent computation: plain Python over rows read with the ORM ------------------------

def scores():
    return {row[0]: row[1:] for row in WelfareScore.objects.filter(is_current=True).values_list(
        "family_id", "desil", "log_predicted")}


def registry_persons():
    return list(Person.objects.filter(merged_into__isnull=True, family__isnull=False).values(
        "id", "family_id", "birth_date", "jkn_status", "desa_id"))


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def neediest(rows, score_of):
    """Lowest predicted consumption first, rows without a score last, then by id."""
    def key(row):
        score = score_of(row)
        return (score is None, score[1] if score else 0.0, row["id"])
    return sorted(rows, key=key)


def expected_families(predicate):
    current = scores()
    rows = [{"id": fid} for fid in Family.objects.values_list("id", flat=True) if predicate(fid, current.get(fid))]
    ordered = neediest(rows, lambda r: current.get(r["id"]))
    return [(None, r["id"], i, *current.get(r["id"], (None, None))) for i, r in enumerate(ordered, start=1)]


def expected_persons(predicate, order="neediest"):
    current = scores()
    rows = [p for p in registry_persons() if predicate(p, current.get(p["family_id"]))]
    ordered = neediest(rows, lambda r: current.get(r["family_id"])) if order == "neediest" else \
        sorted(rows, key=lambda r: r["id"])
    return [(p["id"], p["family_id"], i, *current.get(p["family_id"], (None, None)))
            for i, p in enumerate(ordered, start=1)]


# -- tests ----------------------------------------------------------------------------------------

def test_family_candidates_equal_an_independent_computation(officer):
    programme = make_programme("uji-bantuan-pangan", quota=50, budget=9_000_000, amount=600_000, period="month")
    cycle = open_cycle(officer, programme, "desil <= 4")

    expected = expected_families(lambda fid, score: score is not None and score[0] <= 4)
    assert len(expected) >= 150
    assert enrolled(cycle) == expected
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN and cycle.candidates == len(expected)
    assert cycle.rule == programme.rules.get(version=1)
    assert cycle.pmt_model == PmtModel.objects.get(regency_code=REGENCY, is_active=True)
    assert (cycle.quota, cycle.budget, cycle.amount) == (50, 9_000_000, 600_000)
    assert cycle.opened_by == officer and cycle.opened_at is not None
    # A monthly programme over a year holds 12 payments per beneficiary against the budget.
    assert set(Enrolment.objects.filter(cycle=cycle).values_list("amount", flat=True)) == {12 * 600_000}
    assert set(Enrolment.objects.filter(cycle=cycle).values_list("status", flat=True)) == {"candidate"}
    desa = dict(Family.objects.values_list("id", "desa_id"))
    assert all(desa[f] == d for f, d in Enrolment.objects.filter(cycle=cycle).values_list("family_id", "desa_code"))
    # One audit event for the opening, with what was frozen.
    event = AuditEvent.objects.get(object_type="programs.cycle", object_id=str(cycle.pk), summary__startswith="open")
    assert event.actor == officer
    assert event.changes["status"] == ["draft", "open"] and event.changes["candidates"] == [0, len(expected)]
    assert event.changes["rule"] == [None, cycle.rule_id] and event.changes["pmt_model"] == [None, cycle.pmt_model_id]


def test_person_candidates_rank_families_without_a_score_last(officer):
    # Some families lose their current score: their members come after every scored person.
    unscored = list(Family.objects.order_by("id").values_list("id", flat=True)[:40:4])
    WelfareScore.objects.filter(family_id__in=unscored).update(is_current=False)
    programme = make_programme("uji-lansia", target="person", benefit="in_kind")
    cycle = open_cycle(officer, programme, "age >= 60")

    expected = expected_persons(lambda p, score: age_on(p["birth_date"], STARTS) >= 60)
    assert enrolled(cycle) == expected
    assert any(row[3] is None for row in expected) and expected[-1][3] is None
    first_unscored = next(i for i, row in enumerate(expected) if row[3] is None)
    assert all(row[3] is None for row in expected[first_unscored:])


@pytest.mark.parametrize("ranking", ["registration", "merit"])
def test_registration_and_merit_rank_by_registration(officer, ranking):
    programme = make_programme(f"uji-kursus-{ranking}", target="person", benefit="service", ranking=ranking)
    cycle = open_cycle(officer, programme, "age between 18 and 30")
    expected = expected_persons(lambda p, score: 18 <= age_on(p["birth_date"], STARTS) <= 30, order="registration")
    assert len(expected) > 50
    assert enrolled(cycle) == expected


def test_premium_programme_leaves_out_persons_covered_by_national_pbi(officer, make_user):
    programme = Programme.objects.filter(code="pbi-jkn-daerah").first() or make_programme(
        "pbi-jkn-daerah", target="person", benefit="premium", amount=42_000, period="month", agency="dinkes")
    assert programme.benefit == Programme.Benefit.PREMIUM
    dinkes = make_user(Role.AGENCY_OFFICER, REGENCY, agency=programme.agency.code, username="dinkes")
    cycle = open_cycle(dinkes, programme, "desil <= 4")

    in_rule = expected_persons(lambda p, score: score is not None and score[0] <= 4)
    national = set(Person.objects.filter(jkn_status="pbi_national").values_list("id", flat=True))
    assert sum(row[0] in national for row in in_rule) > 50  # the rule alone would propose them
    expected = expected_persons(lambda p, score: score is not None and score[0] <= 4
                                and p["jkn_status"] != "pbi_national")
    assert enrolled(cycle) == expected
    # Another benefit does not leave them out.
    cash = make_programme("uji-bantuan-lansia", target="person")
    assert Enrolment.objects.filter(cycle=open_cycle(officer, cash, "desil <= 4"),
                                    person_id__in=national).exists()


def test_exclusive_group_leaves_out_persons_approved_in_another_programme(officer, head, verifier):
    first = make_programme("uji-beasiswa-s1", target="person", group="uji-beasiswa", ranking="registration")
    rule = "age between 18 and 24"
    first_cycle = open_cycle(officer, first, rule)
    ids = list(Enrolment.objects.filter(cycle=first_cycle).order_by("priority").values_list("id", flat=True))
    services.enrolments_verify(actor=verifier, cycle=first_cycle, ids_or_filter=ids[:10])
    services.enrolments_approve(actor=head, cycle=first_cycle, ids_or_filter=ids[:6])
    approved = set(Enrolment.objects.filter(cycle=first_cycle, status="approved").values_list("person_id", flat=True))
    verified_only = set(Enrolment.objects.filter(cycle=first_cycle, status="verified").values_list("person_id",
                                                                                                   flat=True))
    assert len(approved) == 6 and len(verified_only) == 4

    second = make_programme("uji-beasiswa-prestasi", target="person", benefit="cash", group="uji-beasiswa",
                            ranking="registration")
    second_cycle = open_cycle(officer, second, rule)
    proposed = set(Enrolment.objects.filter(cycle=second_cycle).values_list("person_id", flat=True))
    assert not proposed & approved
    assert verified_only <= proposed
    everyone = {row[0] for row in expected_persons(lambda p, s: 18 <= age_on(p["birth_date"], STARTS) <= 24)}
    assert proposed == everyone - approved
    # A programme outside the group proposes them all; so does the group once the first cycle closes.
    other = make_programme("uji-pelatihan", target="person", benefit="service", ranking="registration")
    assert set(Enrolment.objects.filter(cycle=open_cycle(officer, other, rule)).values_list(
        "person_id", flat=True)) == everyone
    services.cycle_close(actor=officer, cycle=first_cycle)
    third_cycle = open_cycle(officer, second, None, label="2026-B")
    assert set(Enrolment.objects.filter(cycle=third_cycle).values_list("person_id", flat=True)) == everyone


def test_a_frozen_cycle_ignores_later_registry_changes(officer, make_user):
    programme = make_programme("uji-bantuan-tunai", target="person")
    cycle = open_cycle(officer, programme, 'desil <= 3 and jkn != "paid"')
    frozen = enrolled(cycle)
    first = Enrolment.objects.filter(cycle=cycle).order_by("priority").first()
    person = Person.objects.get(pk=first.person_id)

    # The person's data change so that the rule no longer matches them ...
    operator = make_user(Role.DESA_OPERATOR, person.desa_id)
    registry_services.person_update(actor=operator, person=person, jkn_status="paid")
    # ... their family becomes well-off and everyone is rescored ...
    survey = HouseholdSurvey.objects.filter(family_id=person.family_id).order_by("-surveyed_on", "-id").first()
    HouseholdSurvey.objects.filter(pk=survey.pk).update(
        floor_material="marble", has_car=True, has_refrigerator=True, has_air_conditioner=True, has_computer=True,
        installed_power_va=3500, floor_area_m2=250)
    welfare_score()
    rescored = WelfareScore.objects.get(family_id=person.family_id, is_current=True)
    assert rescored.log_predicted != first.log_predicted
    # ... a child without insurance is added to another candidate's family, and a new rule version
    # is published.
    other = Enrolment.objects.filter(cycle=cycle).exclude(family_id=person.family_id).order_by("priority").first()
    family = Family.objects.get(pk=other.family_id)
    newcomer = registry_services.person_add(
        actor=make_user(Role.DESA_OPERATOR, family.desa_id, username="operator-2"), family=family, nik=None,
        name="Anak Baru", sex="P", birth_place="Bogor", birth_date=datetime.date(2024, 2, 2), relationship=4,
        marital_status=1, education=1, employment_status="not_working", jkn_status="none")
    publish(officer, programme, "desil <= 10")

    assert enrolled(cycle) == frozen
    assert not Enrolment.objects.filter(person=newcomer).exists()
    cycle.refresh_from_db()
    assert cycle.rule.version == 1 and cycle.candidates == len(frozen)
    # A cycle opened now sees the changes: the person is no longer proposed under version 1.
    programme_again = make_programme("uji-bantuan-tunai-2", target="person")
    again = open_cycle(officer, programme_again, 'desil <= 3 and jkn != "paid"')
    assert person.pk not in set(Enrolment.objects.filter(cycle=again).values_list("person_id", flat=True))


def test_rule_versions_drafts_and_publishing(officer):
    programme = make_programme("uji-bantuan-sosial")
    draft = services.rule_draft_save(actor=officer, programme=programme, text="desil <= 3 and")
    again = services.rule_draft_save(actor=officer, programme=programme, text="desil <= 3 and sise >= 2")
    assert again.pk == draft.pk and again.version == 1 and again.is_draft
    with pytest.raises(ValidationError) as error:
        services.rule_publish(actor=officer, rule=again)
    params = error.value.error_dict["text"][0].params
    assert params["column"] == 16 and params["token"] == "sise"
    assert "Column 16" in error.value.messages[0] and "size" in error.value.messages[0]

    services.rule_draft_save(actor=officer, programme=programme, text="desil <= 3 and size >= 2")
    published = services.rule_publish(actor=officer, rule=again)
    assert published.published_by == officer and not published.is_draft
    with pytest.raises(ValidationError):
        services.rule_publish(actor=officer, rule=published)
    # Editing after publishing makes version 2; cycles use the latest published version.
    second = services.rule_draft_save(actor=officer, programme=programme, text="desil <= 1")
    assert second.version == 2 and second.is_draft
    assert EligibilityRule.objects.get(pk=published.pk).text == "desil <= 3 and size >= 2"
    cycle = open_cycle(officer, programme)
    assert cycle.rule_id == published.pk
    assert AuditEvent.objects.filter(object_type="programs.eligibilityrule", actor=officer).count() == 5


def test_who_may_manage_cycles(officer, make_user):
    programme = make_programme("uji-bantuan-usaha")
    other_agency = make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="disnaker")
    district_officer = make_user(Role.AGENCY_OFFICER, "320101", agency="dinsos", username="district")
    operator = make_user(Role.DESA_OPERATOR, "3201011001")
    for actor in (other_agency, district_officer, operator):
        with pytest.raises(PermissionDenied):
            services.rule_draft_save(actor=actor, programme=programme, text="desil <= 2")
        with pytest.raises(PermissionDenied):
            services.cycle_create(actor=actor, programme=programme, label="2026", starts_on=STARTS, ends_on=ENDS)
    cycle = services.cycle_create(actor=officer, programme=programme, label="2026", starts_on=STARTS, ends_on=ENDS)
    with pytest.raises(ValidationError, match="no published eligibility rule"):
        services.cycle_open(actor=officer, cycle=cycle)
    publish(officer, programme, "desil <= 2")
    with pytest.raises(PermissionDenied):
        services.cycle_open(actor=other_agency, cycle=cycle)
    with pytest.raises(ValidationError):
        services.cycle_create(actor=officer, programme=programme, label="2026", starts_on=STARTS, ends_on=ENDS)
    with pytest.raises(ValidationError):
        services.cycle_create(actor=officer, programme=programme, label="2027", starts_on=ENDS, ends_on=STARTS)
    services.cycle_open(actor=officer, cycle=cycle)
    with pytest.raises(ValidationError):
        services.cycle_open(actor=officer, cycle=cycle)
    closed = services.cycle_close(actor=officer, cycle=cycle)
    assert closed.status == Cycle.Status.CLOSED
    with pytest.raises(ValidationError):
        services.cycle_close(actor=officer, cycle=cycle)


def test_cycle_periods(officer):
    cases = [("month", datetime.date(2026, 11, 15), datetime.date(2027, 2, 1), ["2026-11", "2026-12", "2027-01",
                                                                              "2027-02"]),
             ("semester", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), ["2026-S1", "2026-S2"]),
             ("year", datetime.date(2026, 7, 1), datetime.date(2027, 6, 30), ["2026", "2027"]),
             ("once", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), ["2026"])]
    for period, starts, ends, expected in cases:
        programme = make_programme(f"uji-periode-{period}", period=period, amount=1000)
        cycle = services.cycle_create(actor=officer, programme=programme, label="2026", starts_on=starts,
                                      ends_on=ends)
        assert services.cycle_periods(cycle) == expected
        assert services.commitment(cycle, 1000) == 1000 * len(expected)
