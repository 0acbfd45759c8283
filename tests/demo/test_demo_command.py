"""Writing the synthetic regency to the registry, and ``sejahtera demo --no-serve``."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db.models import Count

from sejahtera.accounts.models import Membership, User
from sejahtera.accounts.roles import Role
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.careers.models import Employer, EmployerMember, JobSeeker
from sejahtera.demo.activity import portal_accounts
from sejahtera.demo.users import DEMO_USERS
from sejahtera.programs.models import Cycle, Enrolment
from sejahtera.regions.models import Region
from sejahtera.registry.models import Family, FamilyMembership, HouseholdSurvey, Person
from sejahtera.welfare.models import WelfareScore

pytestmark = pytest.mark.django_db
REFERENCE = datetime.date(2026, 6, 30)


def test_writer_loads_families_persons_memberships_and_surveys():
    # A family registered before the load, outside the regency: ids must not clash.
    other_desa = Region.objects.filter(level=Region.Level.DESA).exclude(
        code__startswith=settings.SEJAHTERA_REGENCY).order_by("code").first()
    existing = Family.objects.create(no_kk="1101010101100001", desa=other_desa)
    Person.objects.create(name="Cut Nyak", sex="P", birth_date=datetime.date(1970, 1, 1), family=existing,
                          desa=other_desa, relationship=1)

    regency = generate_regency(families=150, seed=3, reference_date=REFERENCE)
    summary = write_regency(regency)

    assert summary.families == Family.objects.count() - 1 == 150
    assert summary.persons == Person.objects.count() - 1 == regency.person_count
    assert summary.memberships == FamilyMembership.objects.count() == regency.person_count
    assert summary.surveys == HouseholdSurvey.objects.count() == 150

    record = regency.families[0]
    family = Family.objects.get(no_kk=record.no_kk)
    assert family.desa_id == record.desa_code and family.rt == record.rt and family.address == record.address
    assert family.created_at is not None and family.warnings == [] and not family.has_warnings
    members = sorted(family.members.all(), key=lambda p: p.pk)
    assert [(p.name, p.nik, p.birth_date, p.relationship) for p in members] == [
        (p.name, p.nik, p.birth_date, p.relationship) for p in record.members]
    assert {p.desa_id for p in members} == {record.desa_code}
    survey = family.surveys.get()
    assert survey.floor_material == record.survey.floor_material
    assert survey.surveyed_on == record.survey.surveyed_on

    # Every person has exactly one open membership, from the card's issue or their birth.
    assert not FamilyMembership.objects.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()
    membership = FamilyMembership.objects.get(person=members[0])
    assert membership.family_id == family.pk and membership.ended_on is None
    assert membership.started_on == record.members[0].started_on
    assert not Person.objects.exclude(pk__in=FamilyMembership.objects.values("person")).exclude(
        family=existing).exists()
    # The database still assigns new ids after the loaded ones.
    later = Family.objects.create(no_kk="1101010101100002", desa=other_desa)
    assert later.pk > max(Family.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def _run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_demo_creates_data_and_one_user_per_role_then_reuses_them():
    output = _run_demo("--families", "500", "--seed", "2")
    assert Family.objects.count() == 500
    assert HouseholdSurvey.objects.count() == 500
    regency = settings.SEJAHTERA_REGENCY
    # Every family is ranked, in regency-wide tenths.
    current = WelfareScore.objects.filter(is_current=True)
    assert current.count() == 500
    assert set(current.values_list("desil", flat=True)) == set(range(1, 11))
    assert "Memberi peringkat kesejahteraan" in output

    users = {u.username: u for u in User.objects.all()}
    portal = {account.username for account in portal_accounts()}
    assert portal == {"perusahaan", "pencaker"}
    assert set(users) == {spec.username for spec in DEMO_USERS} | portal
    memberships = {m.user.username: m for m in Membership.objects.select_related("user", "agency")}
    expected = {
        "operator": (Role.DESA_OPERATOR, None, 10),
        "verifikator": (Role.KECAMATAN_VERIFIER, None, 6),
        "dinsos": (Role.AGENCY_OFFICER, "dinsos", 4),
        "kadinsos": (Role.AGENCY_HEAD, "dinsos", 4),
        "disnaker": (Role.AGENCY_OFFICER, "disnaker", 4),
        "perencana": (Role.PLANNER, "bappedalitbang", 4),
        "admin": (Role.SYSTEM_ADMIN, None, 4),
    }
    for username, (role, agency, scope_length) in expected.items():
        m = memberships[username]
        assert m.role == role, username
        assert (m.agency.code if m.agency else None) == agency, username
        assert len(m.region_id) == scope_length and m.region_id.startswith(regency), username
    assert memberships["verifikator"].region_id == memberships["operator"].region_id[:6]
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not any(users[name].is_staff for name in users if name != "admin")
    assert not Membership.objects.filter(user__username__in=portal).exists()

    # Work under way: the medical-aid cycle verified and approved in the verifier's kecamatan only.
    cycle = Cycle.objects.get(programme__code="bantuan-pengobatan")
    kecamatan = memberships["verifikator"].region_id
    assert cycle.status == Cycle.Status.OPEN and cycle.candidates == cycle.enrolments.count() > 0
    approved = cycle.enrolments.filter(status=Enrolment.Status.APPROVED)
    assert approved.count() == cycle.approved_count
    assert approved.count() == cycle.enrolments.filter(desa_code__startswith=kecamatan).count()
    assert not cycle.enrolments.exclude(desa_code__startswith=kecamatan).exclude(
        status=Enrolment.Status.CANDIDATE).exists()
    # The career center's portal accounts act for a verified employer and a registered job seeker.
    assert EmployerMember.objects.get(user=users["perusahaan"]).employer.status == Employer.Status.VERIFIED
    assert JobSeeker.objects.filter(user=users["pencaker"]).exists()
    assert users["pencaker"].check_password("demo-pencaker-2026")

    # The operator works in the desa with the most families.
    per_desa = Family.objects.values("desa_id").annotate(n=Count("id"))
    busiest = max(row["n"] for row in per_desa)
    assert Family.objects.filter(desa_id=memberships["operator"].region_id).count() == busiest

    # The printed passwords log in and pass the project's password validators.
    for spec in DEMO_USERS:
        assert spec.password in output and len(spec.password) >= 10
        validate_password(spec.password, users[spec.username])
    assert users["operator"].check_password("demo-operator-2026")
    assert "Siap dalam" in output

    again = _run_demo("--families", "800")
    assert Family.objects.count() == 500
    assert User.objects.count() == len(DEMO_USERS) + len(portal)
    assert "tidak dibuat ulang" in again
    assert "Memberi peringkat" not in again and current.count() == 500
    table = output[output.index("Akun demo"):output.index("Siap dalam")]
    assert table in again


def test_demo_adds_no_accounts_to_a_registry_it_did_not_create(operator_a, make_family):
    make_family(operator_a)
    output = _run_demo("--families", "50")
    assert Family.objects.count() == 1
    assert not User.objects.filter(username__in=[spec.username for spec in DEMO_USERS]).exists()
    assert "akun demo tidak dibuat" in output


def test_demo_refuses_an_unknown_regency(settings):
    settings.SEJAHTERA_REGENCY = "9999"
    with pytest.raises(CommandError):
        _run_demo("--families", "50")
    assert not Family.objects.exists() and not User.objects.exists()
