"""BLK training pages: who reaches them, selection by priority from the batch page, one POST per
attendance day, completion under and at 80 %, and the batch and internship steps."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from sejahtera.accounts.roles import Role
from sejahtera.careers import services as careers_services
from sejahtera.training import services
from sejahtera.training.models import Attendance, Course, Internship, Trainee, TrainingBatch
from tests.conftest import DESA_A, DESA_B, REGENCY
from tests.training.conftest import (  # noqa: F401  (fixtures)
    course,
    disnaker,
    english_messages,
    make_batch,
    make_person,
    start,
)

FIRST_DAY = datetime.date(2026, 2, 2)


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, so that messages compare with the services' English source text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def texts(response) -> list[str]:
    """The messages this request added (not those still waiting from earlier requests)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def running(disnaker, make_batch, make_person, n):  # noqa: F811
    batch = make_batch(capacity=n, ends_on=datetime.date(2026, 6, 30))
    rows = [services.trainee_apply(actor=disnaker, batch=batch, person=make_person()) for _ in range(n)]
    start(disnaker, batch)
    return batch, [Trainee.objects.get(pk=row.pk) for row in rows]


def record_days(disnaker, batch, days, present_on):  # noqa: F811
    """Record ``days`` days; ``present_on(trainee, i)`` says who was there on day ``i``."""
    trainees = list(Trainee.objects.filter(batch=batch, status=Trainee.Status.ATTENDING))
    for i in range(days):
        services.attendance_record(actor=disnaker, batch=batch, day=FIRST_DAY + datetime.timedelta(days=i),
                                   present_ids=[t.pk for t in trainees if present_on(t, i)])


# -- access ---------------------------------------------------------------------------------------

def test_only_disnaker_staff_and_administrators_reach_the_training_pages(login, make_user, agency_officer, planner,
                                                                         disnaker, make_batch, make_person):
    batch, (trainee,) = running(disnaker, make_batch, make_person, 1)
    admin = make_user(Role.SYSTEM_ADMIN, REGENCY, username="admin")
    pages = [reverse("web:training_course_list"), reverse("web:training_batch_detail", args=[batch.pk]),
             reverse("web:training_attendance", args=[batch.pk]),
             reverse("web:training_batch_placements", args=[batch.pk]), reverse("web:training_slot_list")]
    for url in pages:
        for outsider in (agency_officer, planner):
            response = login(outsider).get(url)
            assert response.status_code == 403
            assert trainee.person.name not in response.content.decode()
        for staff in (disnaker, admin):
            assert login(staff).get(url).status_code == 200
    response = login(agency_officer).post(reverse("web:training_batch_select", args=[batch.pk]))
    assert response.status_code == 403


# -- courses and batches --------------------------------------------------------------------------

def test_a_course_and_a_batch_are_created_and_moved_through_their_states(login, disnaker):
    client = login(disnaker)
    response = client.post(reverse("web:training_course_create"), {
        "code": "menjahit", "name": "Menjahit Busana", "vocation": "Sewing", "kbji_code": "7531", "hours": "160",
        "description": ""})
    course = Course.objects.get(code="menjahit")
    assert response["Location"] == reverse("web:training_course_detail", args=[course.pk])
    assert course.regency_code == REGENCY and course.hours == 160
    client.post(reverse("web:training_course_edit", args=[course.pk]), {
        "code": "ignored", "name": "Menjahit Busana Muslim", "vocation": "Sewing", "kbji_code": "7531",
        "hours": "200", "description": "", "is_active": "on"})
    course.refresh_from_db()
    assert (course.code, course.name, course.hours) == ("menjahit", "Menjahit Busana Muslim", 200)

    response = client.post(reverse("web:training_batch_create", args=[course.pk]), {
        "label": "2026-1", "starts_on": "2026-03-02", "ends_on": "2026-02-01", "capacity": "16", "desa": DESA_A})
    assert response.status_code == 200 and response.context["form"].errors["ends_on"]
    client.post(reverse("web:training_batch_create", args=[course.pk]), {
        "label": "2026-1", "starts_on": "2026-03-02", "ends_on": "2026-05-29", "capacity": "16", "desa": DESA_A,
        "instructor": "Ibu Euis"})
    batch = TrainingBatch.objects.get(course=course)
    assert (batch.capacity, batch.desa_code, batch.status) == (16, DESA_A, "planned")
    for step, status in (("open", "open"), ("start", "running"), ("finish", "finished")):
        client.post(reverse("web:training_batch_step", args=[batch.pk, step]))
        batch.refresh_from_db()
        assert batch.status == status
    response = client.post(reverse("web:training_batch_step", args=[batch.pk, "open"]))
    batch.refresh_from_db()
    assert batch.status == "finished" and texts(response)


# -- applicants and selection ---------------------------------------------------------------------

def test_an_applicant_is_added_by_nik_and_an_unknown_nik_adds_nobody(login, disnaker, make_batch, make_person):
    batch, person = make_batch(), make_person()
    client = login(disnaker)
    response = client.post(reverse("web:training_trainee_add", args=[batch.pk]), {"nik": "3201019999999999"})
    assert not Trainee.objects.exists() and texts(response) == ["No person with this NIK was found in your area."]
    client.post(reverse("web:training_trainee_add", args=[batch.pk]), {"nik": person.nik})
    assert list(Trainee.objects.values_list("person_id", "status")) == [(person.pk, "applied")]
    response = client.post(reverse("web:training_trainee_add", args=[batch.pk]), {"nik": person.nik})
    assert Trainee.objects.count() == 1 and texts(response)


def test_select_by_priority_fills_the_capacity_in_the_services_order(login, disnaker, make_batch, make_person):
    batch = make_batch(capacity=2)
    employment = ["working", "unemployed", "working", "unemployed", "working"]
    persons = [make_person(employment=e) for e in employment]
    client = login(disnaker)
    for person in persons:
        client.post(reverse("web:training_trainee_add", args=[batch.pk]), {"nik": person.nik})
    response = client.post(reverse("web:training_batch_select", args=[batch.pk]))
    assert texts(response) == ["2 free places: 2 accepted by priority, 3 on the waiting list."]

    # The unemployed first, each group in application order; the capacity is the limit.
    expected = [persons[1], persons[3], persons[0], persons[2], persons[4]]
    rows = {t.person_id: t for t in Trainee.objects.filter(batch=batch)}
    assert [rows[p.pk].priority for p in expected] == [1, 2, 3, 4, 5]
    assert [rows[p.pk].status for p in expected] == ["accepted", "accepted", "waitlisted", "waitlisted", "waitlisted"]

    page = client.get(reverse("web:training_batch_detail", args=[batch.pk]))
    text = page.content.decode()
    assert "Unemployed, looking for work" in text and "Application order" in text
    accepted = dict((value, members) for value, _label, members in page.context["groups"])["accepted"]
    assert [t.person_id for t in accepted] == [persons[1].pk, persons[3].pk]


# -- attendance -----------------------------------------------------------------------------------

def test_the_attendance_post_writes_exactly_the_ticked_trainees(login, disnaker, make_batch, make_person):
    batch, (first, second, third) = running(disnaker, make_batch, make_person, 3)
    client = login(disnaker)
    url = reverse("web:training_attendance", args=[batch.pk])
    page = client.get(url, {"day": FIRST_DAY.isoformat()})
    assert {t.pk for t in page.context["attending"]} == {first.pk, second.pk, third.pk}
    response = client.post(url, {"day": FIRST_DAY.isoformat(), "present": [first.pk, third.pk]})
    assert response["Location"] == f"{url}?day={FIRST_DAY.isoformat()}"
    assert dict(Attendance.objects.values_list("trainee_id", "present")) == {
        first.pk: True, second.pk: False, third.pk: True}

    # Recording the day again corrects it; another batch's trainee is refused and nothing changes.
    client.post(url, {"day": FIRST_DAY.isoformat(), "present": [second.pk]})
    assert dict(Attendance.objects.values_list("trainee_id", "present")) == {
        first.pk: False, second.pk: True, third.pk: False}
    _other, (stranger,) = running(disnaker, make_batch, make_person, 1)
    response = client.post(url, {"day": FIRST_DAY.isoformat(), "present": [first.pk, stranger.pk]})
    assert dict(Attendance.objects.values_list("trainee_id", "present")) == {
        first.pk: False, second.pk: True, third.pk: False}
    assert texts(response)

    page = client.get(url, {"day": FIRST_DAY.isoformat()})
    marks = {t.pk: t.mark for t in page.context["attending"]}
    assert marks == {first.pk: False, second.pk: True, third.pk: False}
    assert page.context["present_count"] == 1


def test_attendance_is_refused_before_the_batch_starts(login, disnaker, make_batch, make_person):
    batch = make_batch()
    trainee = services.trainee_apply(actor=disnaker, batch=batch, person=make_person())
    response = login(disnaker).post(reverse("web:training_attendance", args=[batch.pk]),
                                    {"day": FIRST_DAY.isoformat(), "present": [trainee.pk]})
    assert not Attendance.objects.exists() and texts(response)


# -- completion and dropping ----------------------------------------------------------------------

def test_completion_under_80_percent_is_refused_and_at_80_percent_shows_the_certificate(
        login, disnaker, make_batch, make_person):
    batch, (low, exact) = running(disnaker, make_batch, make_person, 2)
    record_days(disnaker, batch, 5, lambda t, i: t.pk == exact.pk and i < 4 or t.pk == low.pk and i < 3)
    client = login(disnaker)

    response = client.post(reverse("web:training_trainee_complete", args=[low.pk]), {"competent": "yes"})
    low.refresh_from_db()
    assert (low.status, low.certificate_number) == ("attending", "")
    assert texts(response) == [f"{low.person.name} attended 3 of 5 days (60%); completing the course needs 80%."]

    response = client.post(reverse("web:training_trainee_complete", args=[exact.pk]), {"competent": "yes"})
    exact.refresh_from_db()
    assert exact.status == "completed" and exact.certificate_number.startswith(f"BLK-{REGENCY}-")
    assert exact.certificate_number in texts(response)[0]
    assert exact.certificate_number in client.get(reverse("web:training_batch_detail", args=[batch.pk])
                                                  ).content.decode()


def test_a_trainee_completed_not_competent_gets_no_certificate(login, disnaker, make_batch, make_person):
    batch, (trainee,) = running(disnaker, make_batch, make_person, 1)
    record_days(disnaker, batch, 2, lambda t, i: True)
    login(disnaker).post(reverse("web:training_trainee_complete", args=[trainee.pk]), {"competent": "no"})
    trainee.refresh_from_db()
    assert (trainee.status, trainee.competent, trainee.certificate_number) == ("completed", False, "")


def test_dropping_needs_a_reason(login, disnaker, make_batch, make_person):
    batch, (trainee,) = running(disnaker, make_batch, make_person, 1)
    client = login(disnaker)
    client.post(reverse("web:training_trainee_drop", args=[trainee.pk]), {"reason": " "})
    trainee.refresh_from_db()
    assert trainee.status == "attending"
    client.post(reverse("web:training_trainee_drop", args=[trainee.pk]), {"reason": "Pindah ke Bekasi"})
    trainee.refresh_from_db()
    assert (trainee.status, trainee.dropped_reason) == ("dropped", "Pindah ke Bekasi")


def test_a_kecamatan_officer_sees_only_their_residents_among_the_trainees(login, make_user, disnaker, make_batch, operator_b,
                                                                         make_person):
    batch = make_batch()
    at_a, at_b = make_person(desa=DESA_A), make_person(operator_b, desa=DESA_B)
    for person in (at_a, at_b):
        services.trainee_apply(actor=disnaker, batch=batch, person=person)
    officer_b = make_user(Role.AGENCY_OFFICER, DESA_B[:6], agency="disnaker", username="disnaker-b")
    page = login(officer_b).get(reverse("web:training_batch_detail", args=[batch.pk]))
    shown = {t.person_id for _v, _l, members in page.context["groups"] for t in members}
    assert shown == {at_b.pk}


# -- placements and internships -------------------------------------------------------------------

def test_the_placements_page_lists_completed_trainees_placed_within_six_months(login, disnaker, make_batch,
                                                                               make_person):
    from tests.training.conftest import place

    batch, (placed, late) = running(disnaker, make_batch, make_person, 2)
    record_days(disnaker, batch, 1, lambda t, i: True)
    for trainee in (placed, late):
        services.trainee_complete(actor=disnaker, trainee=trainee, competent=True)
    place(placed.person, datetime.date(2026, 8, 1), position="Tukang Las")
    place(late.person, datetime.date(2027, 3, 1), position="Satpam")
    page = login(disnaker).get(reverse("web:training_batch_placements", args=[batch.pk]))
    assert [t.pk for t in page.context["placed"]] == [placed.pk]
    assert "Tukang Las" in page.content.decode() and "Satpam" not in page.content.decode()


def test_an_internship_slot_is_created_and_an_intern_assigned_and_started(login, disnaker, make_person):
    employer_account = disnaker.__class__.objects.create_user(username="hrd", password="rahasia-uji-123")
    employer = careers_services.employer_register(
        actor=employer_account, name="PT Maju Jaya", nib="9120000000001", kbli_code="10710", address="Jl. Industri 5",
        desa_code=DESA_A, contact_name="Ibu Sari", contact_phone="081234567890")
    careers_services.employer_verify(actor=disnaker, employer=employer)
    client = login(disnaker)
    client.post(reverse("web:training_slot_create"), {
        "employer": employer.pk, "title": "Magang Operator Produksi", "kbji_code": "8160", "openings": "1",
        "months": "3", "stipend": "1500000", "starts_on": "2026-03-02", "desa": DESA_A})
    slot = employer.internship_slots.get()
    first, second = make_person(), make_person()
    client.post(reverse("web:training_intern_assign", args=[slot.pk]), {"nik": first.nik})
    response = client.post(reverse("web:training_intern_assign", args=[slot.pk]), {"nik": second.nik})
    assert list(Internship.objects.values_list("person_id", flat=True)) == [first.pk]
    assert texts(response)  # the only opening is taken
    internship = Internship.objects.get()
    client.post(reverse("web:training_intern_step", args=[internship.pk, "start"]), {"date": "2026-03-02"})
    internship.refresh_from_db()
    assert (internship.status, internship.started_on) == ("active", datetime.date(2026, 3, 2))
    client.post(reverse("web:training_intern_step", args=[internship.pk, "complete"]), {"date": "2026-06-01"})
    internship.refresh_from_db()
    assert internship.status == "completed"
