"""Registering and correcting records through the forms."""

import datetime

from django.urls import reverse

from sejahtera.registry.identity import nik_for_birth, no_kk_for_issue
from sejahtera.registry.models import Family, HouseholdSurvey, Person
from tests.conftest import DESA_A, DESA_B


def member_data(**overrides):
    data = {
        "nik": "", "name": "Euis Komariah", "sex": "P", "birth_place": "Bogor", "birth_date": "1985-07-09",
        "relationship": "3", "marital_status": "2", "education": "5", "occupation": "Mengurus Rumah Tangga",
        "employment_status": "housekeeping", "disability": "none", "jkn_status": "pbi_daerah", "phone": "",
    }
    return data | overrides


def test_add_member_shows_the_nik_error_under_the_field(login, operator_a, make_family):
    family = make_family(operator_a)
    url = reverse("web:person_add", args=[family.pk])
    response = login(operator_a).post(url, member_data(nik="320101490785001"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["nik"]
    assert "16 digit" in errors["nik"][0]
    html = response.content.decode()
    assert errors["nik"][0] in html
    assert family.members.count() == 1


def test_add_member_saves_a_valid_nik(login, operator_a, make_family):
    family = make_family(operator_a)
    nik = nik_for_birth(DESA_A[:6], datetime.date(1985, 7, 9), "P", 4242)
    response = login(operator_a).post(reverse("web:person_add", args=[family.pk]), member_data(nik=nik))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:family_detail", args=[family.pk])
    person = Person.objects.get(nik=nik)
    assert (person.family, person.desa_id, person.birth_date) == (family, DESA_A, datetime.date(1985, 7, 9))
    page = login(operator_a).get(response["Location"]).content.decode()
    assert "Euis Komariah" in page and nik in page


def test_add_member_without_nik(login, operator_a, make_family):
    family = make_family(operator_a)
    login(operator_a).post(reverse("web:person_add", args=[family.pk]), member_data())
    assert Person.objects.get(name="Euis Komariah").nik is None


def test_edit_member(login, operator_a, make_family):
    family = make_family(operator_a)
    head = family.members.get()
    client = login(operator_a)
    form = client.get(reverse("web:person_edit", args=[head.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["birth_date"] = head.birth_date.isoformat()
    data["occupation"] = "Petani"
    response = client.post(reverse("web:person_edit", args=[head.pk]), data)
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.occupation == "Petani"


def test_register_family(login, operator_a):
    no_kk = no_kk_for_issue(DESA_A[:6], datetime.date(2020, 1, 15), 9001)
    client = login(operator_a)
    form = client.get(reverse("web:family_create")).context["form"]
    assert [region.code for region in form.fields["desa"].queryset] == [DESA_A]
    response = client.post(reverse("web:family_create"),
                           {"no_kk": no_kk, "desa": DESA_A, "address": "Kp. Sawah", "rt": "001", "rw": "002"})
    family = Family.objects.get(no_kk=no_kk)
    assert response["Location"] == reverse("web:person_add", args=[family.pk])


def test_register_family_rejects_bad_no_kk_and_foreign_desa(login, operator_a):
    client = login(operator_a)
    response = client.post(reverse("web:family_create"), {"no_kk": "32010115031500O1", "desa": DESA_A})
    assert "nik" not in response.context["form"].errors
    assert "no_kk" in response.context["form"].errors
    no_kk = no_kk_for_issue(DESA_B[:6], datetime.date(2020, 1, 15), 9002)
    response = client.post(reverse("web:family_create"), {"no_kk": no_kk, "desa": DESA_B})
    assert "desa" in response.context["form"].errors
    assert not Family.objects.exists()


def test_duplicate_no_kk_is_reported_on_the_field(login, operator_a, make_family):
    family = make_family(operator_a)
    response = login(operator_a).post(reverse("web:family_create"), {"no_kk": family.no_kk, "desa": DESA_A})
    assert "no_kk" in response.context["form"].errors


def test_edit_family(login, operator_a, make_family):
    family = make_family(operator_a)
    response = login(operator_a).post(reverse("web:family_edit", args=[family.pk]), {
        "no_kk": family.no_kk, "desa": DESA_A, "address": "Jl. Melati", "rt": "004", "rw": "005"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.address, family.rt) == ("Jl. Melati", "004")


def test_record_survey(login, operator_a, make_family):
    family = make_family(operator_a)
    client = login(operator_a)
    page = client.get(reverse("web:survey_add", args=[family.pk]))
    assert 'type="date"' in page.content.decode()
    response = client.post(reverse("web:survey_add", args=[family.pk]), {
        "surveyed_on": "2025-02-01", "enumerator": "Pak RT", "floor_area_m2": "42", "floor_material": "cement",
        "wall_material": "masonry", "roof_material": "zinc", "drinking_water": "piped", "toilet": "shared",
        "lighting": "pln_shared", "installed_power_va": "450", "cooking_fuel": "lpg_3kg",
        "home_ownership": "own", "has_motorbike": "on", "large_livestock": "0", "small_livestock": "2",
    })
    assert response.status_code == 302
    survey = HouseholdSurvey.objects.get(family=family)
    assert survey.has_motorbike and not survey.has_car and survey.small_livestock == 2
