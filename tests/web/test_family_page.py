"""The family page: masking, access log, history, caching headers."""

import datetime

import pytest
from django.urls import reverse

from sejahtera.core.models import AuditEvent
from sejahtera.registry import services
from sejahtera.registry.identity import mask_nik, nik_for_birth
from tests.conftest import DESA_A


def test_desa_operator_sees_full_nik(login, operator_a, make_family):
    family = make_family(operator_a)
    head = family.members.get()
    html = login(operator_a).get(reverse("web:family_detail", args=[family.pk])).content.decode()
    assert head.nik in html
    assert family.no_kk in html


def test_agency_officer_sees_masked_nik(login, agency_officer, operator_a, make_family):
    family = make_family(operator_a)
    head = family.members.get()
    client = login(agency_officer)
    html = client.get(reverse("web:family_detail", args=[family.pk])).content.decode()
    assert head.nik not in html
    assert family.no_kk not in html
    assert mask_nik(head.nik) in html
    assert mask_nik(family.no_kk) in html
    listing = client.get(reverse("web:family_list")).content.decode()
    assert family.no_kk not in listing
    assert mask_nik(family.no_kk) in listing


def test_viewing_a_family_writes_the_access_log(login, operator_a, make_family):
    family = make_family(operator_a)
    login(operator_a).get(reverse("web:family_detail", args=[family.pk]))
    event = AuditEvent.objects.get(action="view")
    assert event.actor == operator_a
    assert (event.object_type, event.object_id, event.region_code) == ("registry.family", str(family.pk), DESA_A)


@pytest.mark.parametrize("page", ["list", "detail", "edit", "add_member", "edit_member", "survey", "create"])
def test_personal_pages_are_not_cached(page, login, operator_a, make_family):
    family = make_family(operator_a)
    urls = {
        "list": reverse("web:family_list"),
        "detail": reverse("web:family_detail", args=[family.pk]),
        "edit": reverse("web:family_edit", args=[family.pk]),
        "add_member": reverse("web:person_add", args=[family.pk]),
        "edit_member": reverse("web:person_edit", args=[family.members.get().pk]),
        "survey": reverse("web:survey_add", args=[family.pk]),
        "create": reverse("web:family_create"),
    }
    response = login(operator_a).get(urls[page])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_members_warnings_and_details_are_shown(login, operator_a, make_family):
    family = make_family(operator_a)
    nik = nik_for_birth(DESA_A[:6], datetime.date(1985, 7, 9), "P", 77)
    services.person_add(actor=operator_a, family=family, nik=nik, name="Euis Komariah", sex="P",
                        birth_date=datetime.date(1985, 7, 10), relationship=3, education=3)
    html = login(operator_a).get(reverse("web:family_detail", args=[family.pk])).content.decode()
    warning = family.members.get(name="Euis Komariah").warnings[0]["message"]
    assert warning in html
    assert "Euis Komariah" in html
    assert "Istri" in html
    assert "Tamat SD/Sederajat" in html


def test_latest_survey_and_history(login, operator_a, make_family):
    family = make_family(operator_a)
    services.survey_record(actor=operator_a, family=family, surveyed_on=datetime.date(2024, 8, 17),
                           floor_area_m2=36, floor_material="ceramic", wall_material="masonry",
                           roof_material="roof_tile", drinking_water="refill", toilet="own_septic",
                           lighting="pln_metered", installed_power_va=900, cooking_fuel="lpg_3kg",
                           home_ownership="own", consumption_per_capita=1250000)
    services.family_update(actor=operator_a, family=family, address="Jl. Mawar No. 5")
    html = login(operator_a).get(reverse("web:family_detail", args=[family.pk])).content.decode()
    assert "17 Agustus 2024" in html
    assert "Rp1.250.000" in html
    assert "Keramik" in html
    # the change: field label, before and after
    assert "Alamat" in html
    assert "Jl. Raya Bogor No. 12" in html and "Jl. Mawar No. 5" in html
    assert "17 Mei 1980" in html  # the head's birth date, the Indonesian way


def test_membership_history_lists_members(login, operator_a, make_family):
    family = make_family(operator_a, head_name="Ujang Permana")
    response = login(operator_a).get(reverse("web:family_detail", args=[family.pk]))
    assert [m.person.name for m in response.context["memberships"]] == ["Ujang Permana"]


def test_history_shows_labels_of_coded_values(login, operator_a, make_family):
    family = make_family(operator_a)
    services.person_update(actor=operator_a, person=family.members.get(), education=3)
    response = login(operator_a).get(reverse("web:family_detail", args=[family.pk]))
    update = next(entry for entry in response.context["history"] if entry.event.action == "update")
    assert update.subject == "Asep Sunandar"
    assert [(c.label, c.before, c.after) for c in update.changes] == [
        ("Pendidikan", "SLTA/Sederajat", "Tamat SD/Sederajat")]
