"""Applications, hiring into placements, confirmation after three months, and messages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sejahtera.careers import selectors, services
from sejahtera.careers.models import Application, JobSeeker, Placement, Vacancy
from sejahtera.core.models import AuditEvent
from sejahtera.registry.choices import EmploymentStatus
from tests.careers.conftest import HEAD_BIRTH

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def seeker(make_seeker, resident):
    return make_seeker(user=resident)


def hire(actor, application, **fields):
    return services.application_hire(actor=actor, application=application, contract_type="fixed_term",
                                     start_date=fields.pop("start_date", TODAY()), wage=4_900_000, **fields)


def test_a_seeker_applies_once_per_vacancy(seeker, resident, open_vacancy, employer_user):
    application = services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    assert application.status == Application.Status.APPLIED
    with pytest.raises(ValidationError, match="already applied"):
        services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    assert Application.objects.count() == 1
    assert employer_user.career_notifications.filter(text__contains="New application").count() == 1
    assert list(selectors.applications_of_seeker(resident)) == [application]


def test_no_application_after_the_deadline_or_to_a_vacancy_not_open(seeker, resident, make_vacancy, employer):
    expired = make_vacancy(employer)
    Vacancy.objects.filter(pk=expired.pk).update(deadline=TODAY() - datetime.timedelta(days=1))
    expired.refresh_from_db()
    with pytest.raises(ValidationError, match="deadline"):
        services.application_create(actor=resident, seeker=seeker, vacancy=expired)
    with pytest.raises(ValidationError, match="not open"):
        services.application_create(actor=resident, seeker=seeker, vacancy=make_vacancy(employer, state="verified"))
    assert not Application.objects.exists()


def test_nobody_applies_for_someone_else(seeker, employer_user, open_vacancy):
    with pytest.raises(PermissionDenied):
        services.application_create(actor=employer_user, seeker=seeker, vacancy=open_vacancy)


def test_hiring_records_the_placement_and_the_registry_person_starts_working(
        disnaker, registered_person, open_vacancy, employer_user):
    seeker = services.seeker_register(actor=disnaker, nik=registered_person.nik, birth_date=HEAD_BIRTH, consent=True)
    registered_person.employment_status = EmploymentStatus.UNEMPLOYED
    registered_person.save()
    application = services.application_create(actor=disnaker, seeker=seeker, vacancy=open_vacancy)
    services.application_shortlist(actor=employer_user, application=application)
    services.application_invite(actor=employer_user, application=application)
    hired = hire(employer_user, application)

    placement = Placement.objects.get()
    assert hired.status == Application.Status.HIRED and hired.hired_at is not None
    assert (placement.person, placement.seeker, placement.employer, placement.vacancy, placement.application) == (
        registered_person, seeker, open_vacancy.employer, open_vacancy, hired)
    assert (placement.position, placement.kbji_code, placement.wage) == ("Operator Produksi", "8160", 4_900_000)
    registered_person.refresh_from_db()
    seeker.refresh_from_db()
    open_vacancy.refresh_from_db()
    assert registered_person.employment_status == EmploymentStatus.WORKING
    assert registered_person.occupation == "Operator Produksi"
    assert seeker.status == JobSeeker.Status.PLACED
    assert open_vacancy.status == Vacancy.Status.FILLED  # its one opening is taken
    person_audit = AuditEvent.objects.get(object_type="registry.person", object_id=str(registered_person.pk),
                                          action=AuditEvent.Action.UPDATE)
    assert person_audit.changes["employment_status"] == ["unemployed", "working"]
    assert AuditEvent.objects.filter(object_type="careers.placement", object_id=str(placement.pk)).exists()


def test_the_vacancy_stays_open_while_openings_remain(make_seeker, make_vacancy, employer, employer_user, disnaker):
    vacancy = make_vacancy(employer, openings=2)
    first = services.application_create(actor=disnaker, seeker=make_seeker(), vacancy=vacancy)
    hire(employer_user, first)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN


def test_final_applications_do_not_move_and_rejection_needs_a_reason(seeker, resident, open_vacancy, employer_user):
    application = services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    with pytest.raises(ValidationError):
        services.application_reject(actor=employer_user, application=application, reason="  ")
    rejected = services.application_reject(actor=employer_user, application=application, reason="Kurang pengalaman")
    assert rejected.rejection_reason == "Kurang pengalaman"
    assert resident.career_notifications.filter(text__contains="not selected").exists()
    for step in (services.application_shortlist, services.application_invite):
        with pytest.raises(ValidationError, match="cannot go from"):
            step(actor=employer_user, application=rejected)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.application_withdraw(actor=resident, application=rejected)
    with pytest.raises(ValidationError, match="cannot go from"):
        hire(employer_user, rejected)
    assert not Placement.objects.exists()


def test_only_the_seeker_withdraws_and_only_the_employer_decides(seeker, resident, open_vacancy, employer_user):
    application = services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    with pytest.raises(PermissionDenied):
        services.application_shortlist(actor=resident, application=application)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=employer_user, application=application)
    assert services.application_withdraw(actor=resident, application=application).status == "withdrawn"


def test_confirmation_is_refused_before_three_months(seeker, resident, open_vacancy, employer_user, disnaker):
    application = services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    hire(employer_user, application, start_date=TODAY() - datetime.timedelta(days=80))
    placement = Placement.objects.get()
    with pytest.raises(ValidationError, match="three months"):
        services.placement_confirm(actor=disnaker, placement=placement)
    Placement.objects.filter(pk=placement.pk).update(start_date=TODAY() - datetime.timedelta(days=93))
    placement.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.placement_confirm(actor=employer_user, placement=placement)
    assert services.placement_confirm(actor=disnaker, placement=placement).confirmed_at is not None
    with pytest.raises(ValidationError, match="already confirmed"):
        services.placement_confirm(actor=disnaker, placement=placement)


def test_a_placement_outside_the_portal_names_its_employer(make_seeker, disnaker, employer_user):
    seeker = make_seeker()
    with pytest.raises(PermissionDenied):
        services.placement_record(actor=employer_user, seeker=seeker, employer_name="Toko Berkah", position="Kasir",
                                  contract_type="daily", start_date=TODAY())
    with pytest.raises(ValidationError):
        services.placement_record(actor=disnaker, seeker=seeker, position="Kasir", contract_type="daily",
                                  start_date=TODAY())
    placement = services.placement_record(actor=disnaker, seeker=seeker, employer_name="Toko Berkah",
                                          position="Kasir", contract_type="daily", start_date=TODAY())
    assert (placement.employer, placement.employer_label) == (None, "Toko Berkah")
    assert placement.person.employment_status == EmploymentStatus.WORKING


def test_a_message_notifies_the_other_side(seeker, resident, open_vacancy, employer_user, make_user):
    application = services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    services.notification_mark_read(actor=employer_user)
    services.application_message_send(actor=resident, application=application, body="Apakah ada mes karyawan?")
    assert [n.text for n in selectors.notifications(employer_user, unread_only=True)] == [
        "New message from an applicant for Operator Produksi."]
    assert not selectors.notifications(resident, unread_only=True).exists()

    services.application_message_send(actor=employer_user, application=application, body="Ada, gratis.")
    assert [n.text for n in selectors.notifications(resident, unread_only=True)] == [
        "New message about your application for Operator Produksi."]
    assert services.application_messages_mark_read(actor=resident, application=application) == 1
    assert [m.body for m in selectors.application_messages(resident, application)] == [
        "Apakah ada mes karyawan?", "Ada, gratis."]

    stranger = make_user("desa_operator", "3201011001", username="stranger")
    with pytest.raises(PermissionDenied):
        services.application_message_send(actor=stranger, application=application, body="Halo")


def test_notifications_are_marked_read_by_their_owner_only(seeker, resident, open_vacancy, employer_user):
    services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    notification = selectors.notifications(employer_user).first()
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=resident, notification=notification)
    unread = selectors.notifications(employer_user, unread_only=True)
    assert services.notification_mark_read(actor=employer_user, notification=notification) == 1
    assert notification not in unread and unread.count() == 2  # the verifications' notices stay unread
    assert services.notification_mark_read(actor=employer_user) == 2
    assert not selectors.notifications(employer_user, unread_only=True).exists()
