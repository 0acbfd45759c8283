"""Creating a programme: who may, what is refused and with which message, what is audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import EligibilityRule, Programme
from sejahtera.programs.services.programmes import can_create_programme, creatable_agencies, creatable_regencies
from tests.conftest import KECAMATAN_A, REGENCY

pytestmark = pytest.mark.django_db


def fields(**overrides) -> dict:
    values = {"regency_code": REGENCY, "code": "bantuan-lansia", "name": "Bantuan Lansia", "agency": "dinsos",
              "description": "Bantuan tunai bagi lansia miskin.", "target": "person", "benefit": "cash",
              "amount": 300_000, "period": "month", "quota": 500, "budget": 1_800_000_000, "ranking": "neediest",
              "exclusive_group": "", "rule_text": "age >= 60 and family.desil <= 3"}
    return {**values, **overrides}


def errors_of(actor, **overrides) -> dict[str, list[str]]:
    before = Programme.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.programme_create(actor=actor, **fields(**overrides))
    assert Programme.objects.count() == before  # nothing half-made
    return caught.value.message_dict


# -- who may create -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.AGENCY_OFFICER, Role.AGENCY_HEAD])
def test_agency_staff_for_the_whole_regency_create_their_agencys_programme(make_user, role):
    user = make_user(role, REGENCY, agency="dinsos")
    programme = services.programme_create(actor=user, **fields())
    programme.refresh_from_db()
    assert programme.agency.code == "dinsos" and programme.regency_code == REGENCY
    assert (programme.name, programme.target, programme.benefit, programme.amount, programme.period) == \
        ("Bantuan Lansia", "person", "cash", 300_000, "month")
    assert (programme.quota, programme.budget, programme.ranking, programme.is_active) == \
        (500, 1_800_000_000, "neediest", True)
    # Its staff then manage it like any other programme: edit the draft rule and publish it.
    rule = services.rule_draft_save(actor=user, programme=programme, text="age >= 65")
    assert (rule.version, rule.text) == (1, "age >= 65")
    assert not services.rule_publish(actor=user, rule=rule).is_draft


def test_staff_of_another_agency_may_not(make_user):
    disdik = make_user(Role.AGENCY_HEAD, REGENCY, agency="disdik")
    with pytest.raises(PermissionDenied, match="Dinas Sosial"):
        services.programme_create(actor=disdik, **fields())
    assert not Programme.objects.filter(code="bantuan-lansia").exists()
    assert services.programme_create(actor=disdik, **fields(agency="disdik")).agency.code == "disdik"


@pytest.mark.parametrize(("role", "region", "agency"), [
    (Role.AGENCY_OFFICER, KECAMATAN_A, "dinsos"),  # not the whole regency
    (Role.AGENCY_HEAD, "3202", "dinsos"),  # another regency
    (Role.PLANNER, REGENCY, "bappedalitbang"),
    (Role.KECAMATAN_VERIFIER, REGENCY, None),
    (Role.DESA_OPERATOR, REGENCY, None),
])
def test_others_may_not(make_user, role, region, agency):
    user = make_user(role, region, agency=agency)
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=user, **fields())
    assert not can_create_programme(user, REGENCY, Agency.objects.get(code="dinsos"))
    assert REGENCY not in creatable_regencies(user)
    assert not Programme.objects.filter(code="bantuan-lansia").exists()


def test_a_system_administrator_creates_for_any_agency(make_user):
    admin = make_user(Role.SYSTEM_ADMIN, REGENCY)
    assert creatable_regencies(admin) == [REGENCY]
    assert set(creatable_agencies(admin, REGENCY)) == set(Agency.objects.all())
    assert services.programme_create(actor=admin, **fields(agency="disnaker")).agency.code == "disnaker"


def test_an_officer_creates_only_for_their_agency_and_regency(make_user):
    officer = make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos")
    assert creatable_regencies(officer) == [REGENCY]
    assert [a.code for a in creatable_agencies(officer, REGENCY)] == ["dinsos"]
    assert list(creatable_agencies(officer, "3202")) == []


def test_an_inactive_membership_counts_for_nothing(make_user):
    officer = make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos")
    officer.memberships.update(is_active=False)
    with pytest.raises(PermissionDenied):
        services.programme_create(actor=officer, **fields())


# -- validation ---------------------------------------------------------------------------------

@pytest.fixture
def officer(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="officer")


def test_a_bad_rule_is_refused_with_its_line_and_column(officer):
    with pytest.raises(ValidationError) as caught:
        services.programme_create(actor=officer, **fields(rule_text='age >= 18 and sexx == "P"'))
    error = caught.value.error_dict["rule_text"][0]
    assert error.code == "invalid_rule"
    assert (error.params["line"], error.params["column"], error.params["token"]) == (1, 15, "sexx")
    message = caught.value.message_dict["rule_text"][0]
    assert message.startswith("The rule is not valid. Column 15:") and "“sex”" in message
    assert error.params["caret"].splitlines()[1] == " " * 14 + "^"


def test_a_bad_rule_on_a_second_line_says_the_line(officer):
    message = errors_of(officer, rule_text="age >= 60\nand family.desill <= 3")["rule_text"][0]
    assert "Line 2, column 5:" in message and "family.desil" in message


def test_the_rule_is_checked_for_the_programmes_target(officer):
    # "size" is a family's; a person rule must say family.size.
    message = errors_of(officer, target="person", rule_text="size >= 4")["rule_text"][0]
    assert "Column 1:" in message and "family.size" in message
    programme = services.programme_create(actor=officer, **fields(target="family", rule_text="size >= 4"))
    assert programme.target == "family"


def test_a_rule_is_required(officer):
    assert errors_of(officer, rule_text="  ")["rule_text"] == ["Write the rule."]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("amount", -1, "The amount cannot be negative."),
    ("budget", -5, "The budget cannot be negative; leave it empty for no limit."),
    ("quota", -1, "The quota is at least 1; leave it empty for no limit."),
    ("quota", 0, "The quota is at least 1; leave it empty for no limit."),
    ("amount", 0, "A cash programme needs an amount above zero."),
    ("amount", None, "A cash programme needs an amount above zero."),
    ("code", "bantuan lansia!", "The code may contain only letters, digits, hyphens and underscores."),
    ("code", "", "Give the programme a code."),
    ("code", "new", "“new” is reserved; choose another code."),
    ("name", "  ", "Give the programme a name."),
    ("target", "household", "Choose one of: person, family."),
    ("benefit", "voucher", "Choose one of: cash, premium, fee_waiver, service, in_kind."),
    ("period", "week", "Choose one of: once, month, semester, year."),
    ("ranking", "random", "Choose one of: neediest, merit, registration."),
    ("exclusive_group", "two words", "The exclusive group may contain only letters, digits, hyphens and "
                                     "underscores."),
])
def test_invalid_values_are_refused_with_a_message(officer, field, value, message):
    assert errors_of(officer, **{field: value})[field] == [message]


def test_several_problems_are_told_together(officer):
    errors = errors_of(officer, amount=-1, budget=-1, rule_text="desill <= 4")
    assert set(errors) == {"amount", "budget", "rule_text"}


def test_a_free_programme_may_give_no_amount(officer):
    programme = services.programme_create(actor=officer, **fields(benefit="service", amount=None, quota=None,
                                                                  budget=None))
    assert (programme.amount, programme.quota, programme.budget) == (0, None, None)


def test_the_code_is_unique(officer):
    assert errors_of(officer, code="beasiswa-s1")["code"] == ["A programme with the code “beasiswa-s1” already exists."]
    assert "already exists" in errors_of(officer, code="Beasiswa-S1")["code"][0]
    services.programme_create(actor=officer, **fields())
    assert "already exists" in errors_of(officer, name="Another")["code"][0]
    assert Programme.objects.filter(code="bantuan-lansia").count() == 1


def test_not_a_regency_is_refused(officer):
    assert "regency_code" in errors_of(officer, regency_code="9999")


# -- the first rule and the audit log -----------------------------------------------------------

def test_the_first_rule_is_a_draft_by_default_and_both_are_audited(officer):
    start = AuditEvent.objects.count()
    programme = services.programme_create(actor=officer, **fields())
    rule = programme.rules.get()
    assert (rule.version, rule.text, rule.created_by, rule.is_draft) == (1, "age >= 60 and family.desil <= 3",
                                                                         officer, True)
    events = list(AuditEvent.objects.order_by("pk")[start:])
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("create", "programs.programme", str(programme.pk)),
        ("create", "programs.eligibilityrule", str(rule.pk)),
    ]
    created = events[0]
    assert created.actor == officer and created.region_code == REGENCY
    agency = Agency.objects.get(code="dinsos")
    assert created.changes["code"] == [None, "bantuan-lansia"]
    assert created.changes["agency"] == [None, agency.pk]
    assert created.changes["amount"] == [None, 300_000] and created.changes["quota"] == [None, 500]
    assert events[1].changes["text"] == [None, "age >= 60 and family.desil <= 3"]
    assert "published_at" not in events[1].changes


def test_the_first_rule_is_published_when_asked_and_a_cycle_uses_it(officer):
    programme = services.programme_create(actor=officer, publish=True, **fields())
    rule = programme.rules.get()
    assert not rule.is_draft and rule.published_by == officer
    event = AuditEvent.objects.get(object_type="programs.eligibilityrule", object_id=str(rule.pk))
    assert event.changes["published_by"] == [None, officer.pk] and event.summary.startswith("publish")
    cycle = services.cycle_create(actor=officer, programme=programme, label="2026",
                                  starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    services.cycle_open(actor=officer, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.rule == rule and cycle.quota == 500 and cycle.amount == 300_000


def test_a_refused_programme_writes_nothing(officer):
    start_events, start_rules = AuditEvent.objects.count(), EligibilityRule.objects.count()
    errors_of(officer, rule_text="desill <= 4")
    assert AuditEvent.objects.count() == start_events and EligibilityRule.objects.count() == start_rules
