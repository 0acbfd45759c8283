"""The family profile: every section shows what the family has, the eligible-but-not-received list
holds exactly the open cycles that match and have no enrolment, one click proposes, scoping by
region and agency, masking, a bounded number of queries, and the read is logged."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.careers.models import Application, Employer, JobSeeker, Placement, Vacancy
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Cycle, Enrolment, Payment, PaymentBatch, Programme
from sejahtera.registry.choices import JknStatus
from sejahtera.registry.identity import mask_nik
from sejahtera.training.models import Course, Internship, InternshipSlot, Trainee, TrainingBatch
from sejahtera.welfare.models import PmtModel, WelfareScore
from tests.conftest import DESA_A, DESA_B, REGENCY
from tests.programs.test_propose import add_member, make_programme, open_cycle

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def officer(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="dinsos-officer")


def url(family) -> str:
    return reverse("web:family_profile", args=[family.pk])


def profile_of(response):
    assert response.status_code == 200
    return response.context["profile"]


def score(family, version: int, desil: int, *, current: bool, days_ago: int) -> WelfareScore:
    return WelfareScore.objects.create(
        family=family, model=PmtModel.objects.get(regency_code=REGENCY, version=version), regency_code=REGENCY,
        desa_code=family.desa_id, members=2, scored_at=NOW - datetime.timedelta(days=days_ago), log_predicted=13.1,
        predicted_per_capita=480_000, rank_in_regency=10, desil=desil, is_current=current)


def careers_and_training(person, index: int = 1) -> None:
    """Bulk rows: a seeker with an application and a placement, a trainee with a certificate, an intern."""
    seeker = JobSeeker.objects.create(
        person=person, ak1_number=f"3201-2026-{index:06d}", ak1_issued_on=datetime.date(2026, 1, 5),
        ak1_valid_until=datetime.date(2028, 1, 5), education=5, consent_at=NOW, desa_code=person.desa_id)
    employer = Employer.objects.create(name=f"PT Maju Jaya {index}", nib=f"{index:013d}", kbli_code="10110",
                                       address="Jl. Industri 1", desa_code=DESA_A, contact_name="Budi",
                                       contact_phone="0812000000")
    vacancy = Vacancy.objects.create(employer=employer, title=f"Operator Produksi {index}", kbji_code="8160",
                                     description="Shift kerja", desa_code=DESA_A,
                                     deadline=datetime.date(2026, 3, 1))
    Application.objects.create(vacancy=vacancy, seeker=seeker, status=Application.Status.HIRED)
    Placement.objects.create(person=person, seeker=seeker, employer=employer, vacancy=vacancy,
                             position=f"Operator Mesin {index}", contract_type="fixed_term",
                             start_date=datetime.date(2026, 2, 1))
    course = Course.objects.create(regency_code=REGENCY, code=f"las-{index}", name=f"Las Listrik {index}",
                                   vocation="Las", hours=160)
    batch = TrainingBatch.objects.create(course=course, label="2026-1", starts_on=datetime.date(2026, 1, 10),
                                         ends_on=datetime.date(2026, 2, 20), capacity=20, desa_code=DESA_A,
                                         status=TrainingBatch.Status.FINISHED)
    Trainee.objects.create(batch=batch, person=person, desa_code=person.desa_id, status=Trainee.Status.COMPLETED,
                           applied_at=NOW - datetime.timedelta(days=60), completed_at=NOW - datetime.timedelta(days=9),
                           competent=True, certificate_number=f"BLK-3201-2026-{index:04d}")
    slot = InternshipSlot.objects.create(employer=employer, title=f"Magang Gudang {index}", openings=2, months=3,
                                         starts_on=datetime.date(2026, 4, 1), desa_code=DESA_A)
    Internship.objects.create(slot=slot, person=person, desa_code=person.desa_id, matched_at=NOW,
                              status=Internship.Status.MATCHED)


@pytest.fixture
def world(officer, operator_a, make_family, make_user):
    """A family of DESA_A with enrolments, a payment, coaching, scores, career and training records,
    and open cycles, some of which it qualifies for without an enrolment."""
    family = make_family(operator_a)
    head = family.members.get()
    child = add_member(operator_a, family, "Ujang Kecil", datetime.date(2019, 4, 1))
    adults = open_cycle(officer, make_programme("uji-dewasa"), "age >= 18")  # the head is a candidate
    children = open_cycle(officer, make_programme("uji-anak"), "age < 10")  # the child is a candidate
    open_cycle(officer, make_programme("uji-lansia"), "age >= 70")  # matches no one
    premium = open_cycle(officer, make_programme("uji-pbi", benefit="premium"), "age >= 18")
    families = open_cycle(officer, make_programme("uji-keluarga", target="family", amount=250_000), "size >= 1")
    closed = open_cycle(officer, make_programme("uji-tutup"), "age >= 18")
    services.cycle_close(actor=officer, cycle=closed)
    # Members registered after the cycles opened: eligible, not enrolled.
    siti = add_member(operator_a, family, "Siti Aminah", datetime.date(1990, 2, 3), sex="P", relationship=2)
    iis = add_member(operator_a, family, "Iis Nasional", datetime.date(1988, 5, 6), sex="P",
                     jkn=JknStatus.PBI_NATIONAL, relationship=4)
    # A payment for the family's enrolment.
    family_enrolment = Enrolment.objects.get(cycle=families, family=family, person__isnull=True)
    Enrolment.objects.filter(pk=family_enrolment.pk).update(status=Enrolment.Status.ACTIVE)
    batch = PaymentBatch.objects.create(cycle=families, number=1, period="2026", created_by=officer,
                                        status=PaymentBatch.Status.RECONCILED)
    Payment.objects.create(batch=batch, enrolment=family_enrolment, idempotency_key=f"{families.pk}:x:2026",
                           amount=250_000, status=Payment.Status.PAID, paid_on=datetime.date(2026, 3, 14))
    # Micro-business coaching (Diskopumkm's seeded programme), as a bulk row.
    umkm = Programme.objects.get(code="pembinaan-umkm")
    umkm_cycle = Cycle.objects.create(programme=umkm, label="2025", starts_on=datetime.date(2025, 1, 1),
                                      ends_on=datetime.date(2025, 12, 31), status=Cycle.Status.CLOSED,
                                      rule=umkm.rules.first())
    Enrolment.objects.create(cycle=umkm_cycle, programme=umkm, person=head, family=family, desa_code=DESA_A,
                             status=Enrolment.Status.ACTIVE, priority=1, amount=0, created_at=NOW, updated_at=NOW)
    score(family, 1, 4, current=False, days_ago=400)
    score(family, 2, 3, current=True, days_ago=20)
    careers_and_training(head)
    return {"family": family, "head": head, "child": child, "siti": siti, "iis": iis, "adults": adults,
            "children": children, "premium": premium, "families": families, "closed": closed,
            "umkm": umkm_cycle}


def test_every_section_shows_what_the_family_has(world, login, operator_a):
    family = world["family"]
    response = login(operator_a).get(url(family))
    profile = profile_of(response)
    html = response.content.decode()
    assert {m.name for m in profile.members} == {"Asep Sunandar", "Siti Aminah", "Ujang Kecil", "Iis Nasional"}
    assert world["head"].nik in html and family.no_kk in html  # a desa operator sees them whole
    # welfare history: both scores with their model versions
    assert [(s.model.version, s.desil, s.is_current) for s in profile.scores] == [(2, 3, True), (1, 4, False)]
    assert "version 1" in html and "version 2" in html
    # every enrolment, across programmes, with cycle and status
    got = {(e.programme.code, e.cycle.label, e.person_id, e.status) for e in profile.enrolments}
    assert got == {
        ("uji-dewasa", "2026", world["head"].pk, "candidate"), ("uji-anak", "2026", world["child"].pk, "candidate"),
        ("uji-pbi", "2026", world["head"].pk, "candidate"), ("uji-keluarga", "2026", None, "active"),
        ("uji-tutup", "2026", world["head"].pk, "candidate"), ("pembinaan-umkm", "2025", world["head"].pk, "active"),
    }
    assert [(p.amount, p.batch.period, p.status) for p in profile.payments] == [(250_000, "2026", "paid")]
    assert "Rp250.000" in html and "14 March 2026" in html
    assert [e.programme.code for e in profile.coaching] == ["pembinaan-umkm"]
    # career center and training
    assert "3201-2026-000001" in html and "Looking for work" in html
    assert "Operator Produksi 1" in html and "Hired" in html
    assert "PT Maju Jaya 1" in html and "Operator Mesin 1" in html and "1 February 2026" in html
    assert "Las Listrik 1 2026-1" in html and "BLK-3201-2026-0001" in html and "Completed" in html
    assert "Magang Gudang 1" in html
    # the timeline holds every kind of event, newest first
    kinds = {event.kind for event in profile.timeline}
    assert kinds == {"registry", "welfare", "programme", "payment", "careers", "training"}
    moments = [event.at for event in profile.timeline]
    assert moments == sorted(moments, reverse=True)
    titles = [event.title for event in profile.timeline]
    assert "Payment of Rp250.000 for 2026: Paid" in titles
    assert "Started work as Operator Mesin 1 at PT Maju Jaya 1" in titles
    assert "Completed training Las Listrik 1 2026-1" in titles


def test_the_timeline_shows_workflow_steps_from_the_audit_log(world, login, operator_a):
    enrolment = Enrolment.objects.get(cycle=world["adults"], person=world["head"])
    services.enrolment_verify(actor=operator_a, enrolment=enrolment)
    profile = profile_of(login(operator_a).get(url(world["family"])))
    assert "Verified in Programme uji-dewasa 2026" in [e.title for e in profile.timeline]
    assert "Candidate of Programme uji-dewasa 2026" in [e.title for e in profile.timeline]


def eligible_pairs(profile) -> set[tuple[int, int | None]]:
    return {(item.cycle.pk, item.person.pk if item.person else None) for item in profile.eligible}


def test_eligible_lists_exactly_the_matching_open_cycles_without_enrolment(world, login, operator_a):
    profile = profile_of(login(operator_a).get(url(world["family"])))
    # Siti and Iis came after the openings: adults. The premium programme leaves out Iis (national PBI).
    # The head and the child are enrolled already; no one is 70; the closed cycle does not count.
    assert eligible_pairs(profile) == {
        (world["adults"].pk, world["siti"].pk), (world["adults"].pk, world["iis"].pk),
        (world["premium"].pk, world["siti"].pk),
    }
    assert all(item.can_propose for item in profile.eligible)


def test_propose_from_the_page_and_it_leaves_the_list(world, login, operator_a):
    client = login(operator_a)
    response = client.post(reverse("web:family_profile_propose", args=[world["family"].pk]),
                           {"cycle": world["adults"].pk, "person": world["siti"].pk}, follow=True)
    enrolment = Enrolment.objects.get(cycle=world["adults"], person=world["siti"])
    assert (enrolment.status, enrolment.priority) == ("candidate", 2)
    assert (world["adults"].pk, world["siti"].pk) not in eligible_pairs(profile_of(response))
    assert "Siti Aminah is proposed as a candidate" in response.content.decode()
    assert enrolment in profile_of(response).enrolments


@pytest.mark.parametrize("case", ["child", "enrolled", "national_pbi"])
def test_propose_refused_from_the_page(case, world, login, operator_a):
    cycle, person, message = {
        "child": (world["adults"], world["child"], "does not meet the rule"),
        "enrolled": (world["adults"], world["head"], "already enrolled"),
        "national_pbi": (world["premium"], world["iis"], "national budget (PBI APBN)"),
    }[case]
    before = Enrolment.objects.count()
    response = login(operator_a).post(reverse("web:family_profile_propose", args=[world["family"].pk]),
                                      {"cycle": cycle.pk, "person": person.pk}, follow=True)
    assert Enrolment.objects.count() == before
    assert message in response.content.decode()


def test_propose_needs_the_csrf_token(world, operator_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator_a)
    response = client.post(reverse("web:family_profile_propose", args=[world["family"].pk]),
                           {"cycle": world["adults"].pk, "person": world["siti"].pk})
    assert response.status_code == 403
    assert not Enrolment.objects.filter(person=world["siti"]).exists()


def test_a_kecamatan_verifier_of_another_kecamatan_gets_404(world, login, make_user):
    stranger = make_user(Role.KECAMATAN_VERIFIER, DESA_B[:6])
    client = login(stranger)
    assert client.get(url(world["family"])).status_code == 404
    response = client.post(reverse("web:family_profile_propose", args=[world["family"].pk]),
                           {"cycle": world["adults"].pk, "person": world["siti"].pk})
    assert response.status_code == 404
    assert not Enrolment.objects.filter(person=world["siti"]).exists()


def test_agency_staff_see_masked_nik_and_only_their_agencys_programmes(world, login, officer):
    response = login(officer).get(url(world["family"]))
    profile = profile_of(response)
    html = response.content.decode()
    head = world["head"]
    assert head.nik not in html and world["family"].no_kk not in html
    assert mask_nik(head.nik) in html and mask_nik(world["family"].no_kk) in html
    # Dinsos staff: Dinsos programmes only; no coaching (Diskopumkm), no career center (Disnaker)
    assert {e.programme.agency.code for e in profile.enrolments} == {"dinsos"}
    assert profile.coaching == [] and "Programme pembinaan" not in html
    assert not profile.careers_visible and "3201-2026-000001" not in html
    assert profile.own_agency_only == [Agency.objects.get(code="dinsos").short_name]
    assert 'id="scope-note"' in html
    # the eligible list is the same for Dinsos's own programmes
    assert len(profile.eligible) == 3


def test_disnaker_staff_see_the_career_center_but_not_other_agencies_enrolments(world, login, make_user):
    disnaker = make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker")
    profile = profile_of(login(disnaker).get(url(world["family"])))
    assert profile.careers_visible
    assert [s.ak1_number for s in profile.seekers] == ["3201-2026-000001"]
    assert profile.enrolments == [] and profile.payments == [] and profile.eligible == []


def test_the_read_is_logged_and_not_cached(world, login, operator_a):
    response = login(operator_a).get(url(world["family"]))
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="view", actor=operator_a)
    assert (event.object_type, event.object_id, event.region_code) == (
        "registry.family", str(world["family"].pk), DESA_A)


def test_planners_get_404(world, login, planner):
    assert login(planner).get(url(world["family"])).status_code == 404


def test_a_fixed_number_of_queries_whatever_the_familys_size(world, login, operator_a, officer,
                                                            django_assert_max_num_queries):
    client = login(operator_a)
    client.get(url(world["family"]))  # session and user warmed
    with CaptureQueriesContext(connection) as small:
        client.get(url(world["family"]))
    # Three more members, each a seeker, a trainee, an intern, with enrolments and payments.
    family = world["family"]
    batch = PaymentBatch.objects.get(cycle=world["families"])
    for index in range(2, 5):
        person = add_member(operator_a, family, f"Anak {index}", datetime.date(2000, 1, index))
        careers_and_training(person, index)
        enrolment = Enrolment.objects.create(
            cycle=world["closed"], programme=world["closed"].programme, person=person, family=family,
            desa_code=DESA_A, status=Enrolment.Status.ACTIVE, priority=10 + index, amount=100_000,
            created_at=NOW, updated_at=NOW)
        Payment.objects.create(batch=batch, enrolment=enrolment, idempotency_key=f"k{index}", amount=100_000)
    score(family, 2, 2, current=False, days_ago=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(family))
    assert len(profile_of(response).payments) == 4
    assert len(large) == len(small)
    # six open cycles at most, one query each; the rest is a fixed set
    with django_assert_max_num_queries(34):
        client.get(url(family))


def test_the_family_page_links_to_the_profile(login, operator_a, make_family):
    family = make_family(operator_a)
    html = login(operator_a).get(reverse("web:family_detail", args=[family.pk])).content.decode()
    assert f'href="{url(family)}"' in html
