"""Who reads which seekers, applications and placements."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from sejahtera.careers import selectors, services
from sejahtera.careers.models import JobSeeker
from sejahtera.careers.selectors import PlacementFilters, SeekerFilters
from sejahtera.core.models import AuditEvent
from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker_a(make_seeker, resident):
    return make_seeker(DESA_A, user=resident)


@pytest.fixture
def seeker_b(make_seeker):
    return make_seeker(DESA_B, desired_kbji=["7212"])


def readable(user, seeker) -> bool:
    try:
        return selectors.seeker_get(user, seeker.pk) == seeker
    except Http404:
        return False


def test_the_seeker_reads_themself_and_no_one_else(seeker_a, seeker_b, resident):
    assert readable(resident, seeker_a)
    assert not readable(resident, seeker_b)


def test_disnaker_staff_read_only_their_kecamatan(seeker_a, seeker_b, disnaker, disnaker_kecamatan_b):
    assert readable(disnaker, seeker_a) and readable(disnaker, seeker_b)
    assert readable(disnaker_kecamatan_b, seeker_b)
    assert not readable(disnaker_kecamatan_b, seeker_a)
    assert set(selectors.seeker_list(disnaker)) == {seeker_a, seeker_b}
    assert list(selectors.seeker_list(disnaker_kecamatan_b)) == [seeker_b]


def test_other_staff_and_anonymous_users_read_no_seekers(seeker_a, agency_officer, operator_a, planner):
    from django.contrib.auth.models import AnonymousUser

    for user in (agency_officer, operator_a, planner, AnonymousUser()):
        assert not readable(user, seeker_a)
        assert not selectors.seeker_list(user).exists()


def test_an_employer_reads_only_its_applicants(seeker_a, seeker_b, resident, open_vacancy, employer_user):
    assert not readable(employer_user, seeker_a)
    application = services.application_create(actor=resident, seeker=seeker_a, vacancy=open_vacancy)
    assert readable(employer_user, seeker_a)
    assert not readable(employer_user, seeker_b)
    assert not selectors.seeker_list(employer_user).exists()
    assert list(selectors.applications_for_vacancy(employer_user, open_vacancy)) == [application]


def test_an_applicants_profile_carries_no_nik_or_registry_data(seeker_a, resident, open_vacancy, employer_user):
    services.application_create(actor=resident, seeker=seeker_a, vacancy=open_vacancy)
    profile = selectors.applicant_profile(employer_user, seeker_a.pk)
    assert (profile.name, profile.kecamatan_code) == ("Neng Rina", DESA_A[:6])
    values = " ".join(str(v) for v in vars(profile).values())
    assert seeker_a.person.nik not in values
    assert not {"nik", "family", "desil", "jkn_status", "disability", "person"} & set(vars(profile))


def test_applicants_of_a_vacancy_are_hidden_from_other_employers(
        seeker_a, resident, open_vacancy, make_employer, make_user, disnaker_kecamatan_b):
    services.application_create(actor=resident, seeker=seeker_a, vacancy=open_vacancy)
    other_employer_user = make_user("desa_operator", DESA_B, username="hrd-lain")
    make_employer(other_employer_user, name="PT Lain")
    for outsider in (other_employer_user, resident, disnaker_kecamatan_b):
        with pytest.raises(Http404):
            selectors.applications_for_vacancy(outsider, open_vacancy)
    assert not readable(other_employer_user, seeker_a)


def test_reading_someone_elses_record_is_logged(seeker_a, resident, disnaker):
    selectors.seeker_get(resident, seeker_a.pk)
    selectors.seeker_get(disnaker, seeker_a.pk)
    views = AuditEvent.objects.filter(object_type="careers.jobseeker", object_id=str(seeker_a.pk), action="view")
    assert list(views.values_list("actor", flat=True)) == [disnaker.pk]


def test_seeker_list_filters(seeker_a, seeker_b, disnaker):
    def listed(**filters):
        return set(selectors.seeker_list(disnaker, SeekerFilters(**filters)))

    assert listed(kecamatan=DESA_B[:6]) == {seeker_b}
    assert listed(desa=DESA_A) == {seeker_a}
    assert listed(kbji="72") == {seeker_b}
    assert listed(q=seeker_a.ak1_number) == {seeker_a}
    assert listed(status="placed") == set()


def test_placements_are_scoped_by_the_seekers_region(seeker_a, seeker_b, disnaker, disnaker_kecamatan_b,
                                                     employer, employer_user):
    today = timezone.localdate()
    for seeker in (seeker_a, seeker_b):
        services.placement_record(actor=disnaker, seeker=seeker, employer=employer, position="Operator",
                                  contract_type="permanent", start_date=today)
    assert selectors.placements(disnaker).count() == 2
    assert [p.seeker for p in selectors.placements(disnaker_kecamatan_b)] == [seeker_b]
    assert selectors.placements(employer_user).count() == 2  # its own hires
    assert [p.seeker for p in selectors.placements(disnaker, PlacementFilters(kecamatan=DESA_A[:6]))] == [seeker_a]
    assert not selectors.placements(disnaker, PlacementFilters(confirmed=True)).exists()


def test_unplaced_seekers_registered_before_a_date(seeker_a, seeker_b, disnaker, disnaker_kecamatan_b):
    long_ago = timezone.now() - datetime.timedelta(days=200)
    JobSeeker.objects.filter(pk__in=[seeker_a.pk, seeker_b.pk]).update(created_at=long_ago)
    cutoff = timezone.localdate() - datetime.timedelta(days=180)
    assert set(selectors.unplaced_seekers(disnaker, registered_before=cutoff)) == {seeker_a, seeker_b}
    services.placement_record(actor=disnaker, seeker=seeker_a, employer_name="Toko Berkah", position="Kasir",
                              contract_type="daily", start_date=timezone.localdate())
    assert list(selectors.unplaced_seekers(disnaker, registered_before=cutoff)) == [seeker_b]
    assert list(selectors.unplaced_seekers(disnaker_kecamatan_b, registered_before=cutoff)) == [seeker_b]
    assert not selectors.unplaced_seekers(disnaker, registered_before=cutoff - datetime.timedelta(days=30)).exists()
