"""Writing the synthetic regency to the registry, and ``sejahtera demo --no-serve``."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import timezone

from sejahtera.accounts.models import Membership, User
from sejahtera.accounts.roles import Role
from sejahtera.careers.models import Employer, EmployerMember, JobSeeker
from sejahtera.demo.activity import REJECTIONS, portal_accounts
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.demo.users import DEMO_USERS, FIELD_VERIFIER_PREFIX
from sejahtera.monitoring.models import CoverageSummary
from sejahtera.programs.analytics import targeting
from sejahtera.programs.catalogue import PROGRAMMES
from sejahtera.programs.models import Cycle, Enrolment, Payment, PaymentBatch, Programme
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
    field = {name for name in users if name.startswith(FIELD_VERIFIER_PREFIX)}
    assert set(users) == {spec.username for spec in DEMO_USERS} | portal | field
    memberships = {m.user.username: m for m in Membership.objects.select_related("user", "agency")}
    expected = {
        "operator": (Role.DESA_OPERATOR, None, 10),
        "verifikator": (Role.KECAMATAN_VERIFIER, None, 6),
        "dinsos": (Role.AGENCY_OFFICER, "dinsos", 4),
        "bendinsos": (Role.AGENCY_OFFICER, "dinsos", 4),
        "kadinsos": (Role.AGENCY_HEAD, "dinsos", 4),
        "kadinkes": (Role.AGENCY_HEAD, "dinkes", 4),
        "disdik": (Role.AGENCY_OFFICER, "disdik", 4),
        "bendisdik": (Role.AGENCY_OFFICER, "disdik", 4),
        "kadisdik": (Role.AGENCY_HEAD, "disdik", 4),
        "disnaker": (Role.AGENCY_OFFICER, "disnaker", 4),
        "kadisnaker": (Role.AGENCY_HEAD, "disnaker", 4),
        "kadiskop": (Role.AGENCY_HEAD, "diskopumkm", 4),
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

    # One district verifier for every kecamatan: the printed one in its own, unprinted ones
    # (no usable password) in the others.
    kecamatan = set(Region.objects.filter(level=Region.Level.KECAMATAN, is_current=True,
                                          code__startswith=regency).values_list("code", flat=True))
    assert field == {f"{FIELD_VERIFIER_PREFIX}{code}" for code in kecamatan - {memberships["verifikator"].region_id}}
    for name in field:
        assert not users[name].has_usable_password()
        assert memberships[name].role == Role.KECAMATAN_VERIFIER and memberships[name].agency is None
        assert memberships[name].region_id == name.removeprefix(FIELD_VERIFIER_PREFIX)
    assert Membership.objects.filter(user__username__in=field).count() == len(field)

    # Work under way in every programme (checked in _assert_programme_work).
    _assert_programme_work(output, memberships)

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
    assert User.objects.count() == len(DEMO_USERS) + len(portal) + len(field)
    assert Cycle.objects.count() == 7 and "calon" not in again
    assert "tidak dibuat ulang" in again
    assert "Memberi peringkat" not in again and current.count() == 500
    table = output[output.index("Akun demo"):output.index("Siap dalam")]
    assert table in again


HOLDING = Enrolment.HOLDING
ACTIVATED = {"pbi-jkn-daerah", "sekolah-gratis", "pelatihan-blk", "magang", "pembinaan-umkm"}


def _assert_programme_work(output: str, memberships: dict[str, Membership]) -> None:
    """Every seeded programme has this year's (semester's) cycle, opened by its agency's head and
    worked through by the demo users, within the quota, with payments for the cash programmes."""
    today = timezone.localdate()
    cycles = {c.programme.code: c for c in Cycle.objects.select_related("programme__agency", "opened_by")}
    assert set(cycles) == {row[0] for row in PROGRAMMES}
    heads = {m.agency.code: m.user for m in memberships.values() if m.role == Role.AGENCY_HEAD}
    verifier_scope = {m.user_id: m.region_id for m in memberships.values() if m.role == Role.KECAMATAN_VERIFIER}
    checked = candidates = 0
    for code, cycle in cycles.items():
        programme = cycle.programme
        semester = "S1" if today.month <= 6 else "S2"
        assert cycle.label == (f"{today.year}-{semester}" if programme.period == Programme.Period.SEMESTER
                               else str(today.year)), code
        assert cycle.status == Cycle.Status.OPEN and cycle.opened_by == heads[programme.agency.code], code
        enrolments = cycle.enrolments.all()
        assert cycle.candidates == enrolments.count() > 0, code
        holding = enrolments.filter(status__in=HOLDING)
        totals = holding.aggregate(n=Count("id"), amount=Sum("amount"))
        assert cycle.approved_count == totals["n"] > 0, code
        assert cycle.approved_amount == (totals["amount"] or 0), code
        assert cycle.quota is None or cycle.approved_count <= cycle.quota, code
        assert cycle.budget is None or cycle.approved_amount <= cycle.budget, code
        # Verified by the district verifier of the enrolment's own kecamatan, approved by the head.
        verified = enrolments.exclude(verified_by=None)
        for desa_code, verifier in verified.values_list("desa_code", "verified_by"):
            assert desa_code.startswith(verifier_scope[verifier]), code
        assert not holding.filter(verified_by=None).exists(), code
        assert set(holding.values_list("approved_by", flat=True)) == {heads[programme.agency.code].pk}, code
        assert set(enrolments.filter(status=Enrolment.Status.REJECTED).values_list("reason", flat=True)) <= {
            reason for reason, _low, _high in REJECTIONS}, code
        checked += verified.count()
        candidates += cycle.candidates
        # Services run: nobody waits for activation; part of the trainees graduated.
        if code in ACTIVATED:
            assert not enrolments.filter(status=Enrolment.Status.APPROVED).exists(), code
            assert enrolments.filter(status=Enrolment.Status.ACTIVE).exists(), code
        assert f"{programme.name} {cycle.label}: " in output, code
        # Cash: one batch for the first period, approved by two people other than its creator.
        batches = list(cycle.batches.all())
        if not programme.pays_cash:
            assert batches == [], code
            continue
        assert len(batches) == 1, code
        batch = batches[0]
        assert batch.status == PaymentBatch.Status.APPROVED, code
        assert len({batch.created_by_id, batch.first_approved_by_id, batch.second_approved_by_id}) == 3, code
        assert batch.second_approved_by == heads[programme.agency.code], code
        payments = Payment.objects.filter(batch=batch)
        assert batch.payments_count == payments.count() == cycle.approved_count, code
        assert batch.total == cycle.approved_count * cycle.amount, code
        assert set(payments.values_list("enrolment__status", flat=True)) <= {Enrolment.Status.APPROVED}
    # Most candidates were checked in the field, a few rejected, some not visited yet.
    assert 0.85 <= checked / candidates <= 0.95
    assert cycles["pelatihan-blk"].enrolments.filter(status=Enrolment.Status.GRADUATED).exists()
    assert cycles["magang"].enrolments.filter(status=Enrolment.Status.COMPLETED).exists()
    rejected = Enrolment.objects.filter(status=Enrolment.Status.REJECTED)
    assert set(rejected.values_list("reason", flat=True)) == {reason for reason, _low, _high in REJECTIONS}
    assert Enrolment.objects.filter(status=Enrolment.Status.CANDIDATE).exists()

    # The planner's targeting figures: part of desil 1-4 reached, and the training and internship
    # programmes (no desil in their rules) reach richer families too.
    figures = targeting(User.objects.get(username="perencana")).total
    assert 0 < figures.covered < figures.poorest
    assert figures.included > 0
    # The dashboards' precomputed coverage is there at once, and says the same.
    stored = CoverageSummary.objects.filter(desil__lte=4).aggregate(families=Sum("families"), receiving=Sum("receiving"))
    assert (stored["families"], stored["receiving"]) == (figures.poorest, figures.covered)


def test_demo_keeps_to_quotas_and_budgets_and_misses_some_of_the_poor():
    # Quotas as tight for 1,000 families as the catalogue's are for the demo's 20,000 (coaching:
    # 2,000 places for 25,000 candidates), and the scholarship limited by its budget.
    Programme.objects.filter(code="pembinaan-umkm").update(quota=100, budget=None)
    Programme.objects.filter(code="pelatihan-blk").update(quota=50)
    Programme.objects.filter(code="magang").update(quota=25)
    Programme.objects.filter(code="beasiswa-s1").update(quota=None, budget=6_000_000 * 7)
    output = _run_demo("--families", "1000", "--seed", "4")
    for code, quota in (("pembinaan-umkm", 100), ("pelatihan-blk", 50), ("magang", 25)):
        cycle = Cycle.objects.get(programme__code=code)
        holding = cycle.enrolments.filter(status__in=HOLDING)
        waiting = cycle.enrolments.filter(status=Enrolment.Status.VERIFIED)  # verified, over the quota
        assert cycle.quota == quota and cycle.approved_count == holding.count() == quota and waiting.exists(), code
        # In priority order: every approved one ranks before every one left waiting.
        assert holding.order_by("-priority")[0].priority < waiting.order_by("priority")[0].priority, code
    assert "Pembinaan Usaha Mikro 20" in output and "100 disetujui" in output
    scholarship = Cycle.objects.get(programme__code="beasiswa-s1")
    assert scholarship.approved_count == 7 and scholarship.approved_amount == 42_000_000
    assert scholarship.enrolments.filter(status=Enrolment.Status.VERIFIED).exists()
    assert PaymentBatch.objects.get(cycle=scholarship).total == 42_000_000

    # Poor families the programmes miss (exclusion), and richer families they reach (inclusion).
    figures = targeting(User.objects.get(username="perencana")).total
    assert 0 < figures.covered < figures.poorest
    assert 0 < figures.excluded < figures.poor
    assert 0 < figures.included < figures.receiving


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
