"""Proposing one person or family for an open cycle: the frozen rule decides, the rules across
programmes apply as when the cycle opened, priority after the last, audited, by the right people."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.registry import services as registry_services
from sejahtera.registry.choices import JknStatus
from tests.conftest import DESA_A, DESA_B, REGENCY

STARTS = datetime.date(2026, 1, 1)
ENDS = datetime.date(2026, 12, 31)


def make_programme(code, *, target="person", benefit="cash", agency="dinsos", group="", amount=100_000):
    return Programme.objects.create(
        regency_code=REGENCY, code=code, name=f"Programme {code}", agency=Agency.objects.get(code=agency),
        target=target, benefit=benefit, amount=amount, period="year", exclusive_group=group)


def open_cycle(officer, programme, rule, label="2026"):
    draft = services.rule_draft_save(actor=officer, programme=programme, text=rule)
    services.rule_publish(actor=officer, rule=draft)
    cycle = services.cycle_create(actor=officer, programme=programme, label=label, starts_on=STARTS, ends_on=ENDS)
    return services.cycle_open(actor=officer, cycle=cycle)


def add_member(actor, family, name, birth, *, jkn=JknStatus.NONE, relationship=4, sex="L"):
    return registry_services.person_add(actor=actor, family=family, name=name, sex=sex, birth_date=birth,
                                        relationship=relationship, jkn_status=jkn)


@pytest.fixture
def officer(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="dinsos-officer")


@pytest.fixture
def adult_cycle(officer, operator_a, make_family):
    """An open cycle of a person programme for adults, opened while the family had only its head."""
    family = make_family(operator_a)
    cycle = open_cycle(officer, make_programme("uji-dewasa"), "age >= 18")
    return family, cycle


def test_propose_adds_a_candidate_after_the_last_priority_and_audits_it(adult_cycle, operator_a, make_family):
    family, cycle = adult_cycle
    other = make_family(operator_a, head_name="Dadang")  # registered after the opening: not a candidate
    assert list(Enrolment.objects.filter(cycle=cycle).values_list("priority", flat=True)) == [1]
    newcomer = add_member(operator_a, family, "Siti Aminah", datetime.date(1990, 2, 3), sex="P")

    enrolment = services.enrolment_propose(actor=operator_a, cycle=cycle, person=newcomer)

    assert (enrolment.status, enrolment.priority, enrolment.person, enrolment.family_id, enrolment.desa_code) == (
        Enrolment.Status.CANDIDATE, 2, newcomer, family.pk, DESA_A)
    assert enrolment.amount == 100_000  # one yearly period in the cycle
    assert Cycle.objects.get(pk=cycle.pk).candidates == 2
    event = AuditEvent.objects.get(object_type="programs.enrolment", object_id=str(enrolment.pk))
    assert (event.action, event.actor, event.region_code) == ("create", operator_a, DESA_A)
    assert event.changes["status"] == [None, "candidate"]
    # the next one goes after it
    later = services.enrolment_propose(actor=operator_a, cycle=cycle, person=other.members.get())
    assert later.priority == 3


def test_refused_when_the_rule_does_not_match(adult_cycle, operator_a):
    family, cycle = adult_cycle
    child = add_member(operator_a, family, "Ujang Kecil", datetime.date(2019, 4, 1))
    with pytest.raises(ValidationError) as refused:
        services.enrolment_propose(actor=operator_a, cycle=cycle, person=child)
    assert refused.value.code == "rule"
    assert "does not meet the rule" in refused.value.messages[0]
    assert not Enrolment.objects.filter(person=child).exists()


def test_refused_when_already_enrolled(adult_cycle, operator_a):
    family, cycle = adult_cycle
    head = family.members.get()
    with pytest.raises(ValidationError) as refused:
        services.enrolment_propose(actor=operator_a, cycle=cycle, person=head)
    assert refused.value.code == "already_enrolled"
    assert Enrolment.objects.filter(cycle=cycle, person=head).count() == 1


def test_refused_for_a_national_pbi_person_in_a_premium_programme(officer, operator_a, make_family):
    family = make_family(operator_a)
    cycle = open_cycle(officer, make_programme("uji-pbi", benefit="premium"), "age >= 18")
    insured = add_member(operator_a, family, "Iis Nasional", datetime.date(1985, 1, 1), jkn=JknStatus.PBI_NATIONAL)
    uninsured = add_member(operator_a, family, "Euis Daerah", datetime.date(1986, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.enrolment_propose(actor=operator_a, cycle=cycle, person=insured)
    assert refused.value.code == "pbi_national"
    assert services.enrolment_propose(actor=operator_a, cycle=cycle, person=uninsured).person == uninsured


def test_refused_when_held_by_another_programme_of_the_exclusive_group(officer, operator_a, make_family):
    family = make_family(operator_a)
    first = open_cycle(officer, make_programme("beasiswa-a", group="beasiswa"), "age >= 18")
    Enrolment.objects.filter(cycle=first).update(status=Enrolment.Status.APPROVED)
    second = open_cycle(officer, make_programme("beasiswa-b", group="beasiswa"), "age >= 18")
    head = family.members.get()
    assert not Enrolment.objects.filter(cycle=second).exists()  # the opening left the head out too
    with pytest.raises(ValidationError) as refused:
        services.enrolment_propose(actor=operator_a, cycle=second, person=head)
    assert refused.value.code == "exclusive_group"
    assert "Programme beasiswa-a" in refused.value.messages[0]


def test_family_programme(officer, operator_a, make_family):
    cycle = open_cycle(officer, make_programme("uji-keluarga", target="family"), "size >= 2")
    family = make_family(operator_a)
    with pytest.raises(ValidationError) as refused:
        services.enrolment_propose(actor=operator_a, cycle=cycle, family=family)
    assert refused.value.code == "rule"  # one member only
    add_member(operator_a, family, "Asih", datetime.date(2010, 1, 1), sex="P")
    enrolment = services.enrolment_propose(actor=operator_a, cycle=cycle, family=family)
    assert (enrolment.person, enrolment.family) == (None, family)
    with pytest.raises(ValidationError) as again:
        services.enrolment_propose(actor=operator_a, cycle=cycle, family=family)
    assert again.value.code == "already_enrolled"
    with pytest.raises(ValidationError):  # a family programme takes no person
        services.enrolment_propose(actor=operator_a, cycle=cycle, person=family.members.first())


@pytest.mark.parametrize("who", ["other_desa", "other_agency", "planner"])
def test_only_field_verifiers_of_the_region_and_the_agency_staff_propose(who, adult_cycle, operator_a, make_user):
    family, cycle = adult_cycle
    newcomer = add_member(operator_a, family, "Siti Aminah", datetime.date(1990, 2, 3), sex="P")
    actor = {
        "other_desa": lambda: make_user(Role.DESA_OPERATOR, DESA_B),
        "other_agency": lambda: make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker"),
        "planner": lambda: make_user(Role.PLANNER, REGENCY, agency="bappedalitbang"),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.enrolment_propose(actor=actor, cycle=cycle, person=newcomer)
    assert not Enrolment.objects.filter(person=newcomer).exists()


def test_the_programme_agency_and_a_kecamatan_verifier_may_propose(adult_cycle, operator_a, officer, make_user):
    family, cycle = adult_cycle
    first = add_member(operator_a, family, "Siti Aminah", datetime.date(1990, 2, 3), sex="P")
    second = add_member(operator_a, family, "Neneng", datetime.date(1992, 2, 3), sex="P")
    assert services.enrolment_propose(actor=officer, cycle=cycle, person=first).person == first
    verifier = make_user(Role.KECAMATAN_VERIFIER, DESA_A[:6])
    assert services.enrolment_propose(actor=verifier, cycle=cycle, person=second).person == second


def test_refused_for_a_closed_cycle(adult_cycle, operator_a, officer):
    family, cycle = adult_cycle
    newcomer = add_member(operator_a, family, "Siti Aminah", datetime.date(1990, 2, 3), sex="P")
    services.cycle_close(actor=officer, cycle=cycle)
    with pytest.raises(ValidationError) as refused:
        services.enrolment_propose(actor=operator_a, cycle=cycle, person=newcomer)
    assert refused.value.code == "cycle_not_open"


def test_ages_are_counted_on_the_cycles_first_day(officer, operator_a, make_family):
    """As when the cycle opened: someone who turns 18 after the cycle's first day waits for the next cycle."""
    family = make_family(operator_a)
    cycle = open_cycle(officer, make_programme("uji-dewasa"), "age >= 18")
    turns_18_later = add_member(operator_a, family, "Agus", datetime.date(2008, 6, 1))
    with pytest.raises(ValidationError) as refused:
        services.enrolment_propose(actor=operator_a, cycle=cycle, person=turns_18_later)
    assert refused.value.code == "rule"
