"""Who may open which page: scope gives 404, a read-only role gives 403, a planner sees no records."""

import pytest
from django.urls import reverse

from sejahtera.accounts.roles import Role
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A, REGENCY

FAMILY_PAGES = ["web:family_detail", "web:family_edit", "web:person_add", "web:survey_add"]


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("web:family_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", FAMILY_PAGES)
def test_operator_gets_404_for_another_desa(name, login, operator_a, operator_b, make_family):
    family_b = make_family(operator_b, DESA_B)
    client = login(operator_a)
    assert client.get(reverse(name, args=[family_b.pk])).status_code == 404
    if name != "web:family_detail":
        assert client.post(reverse(name, args=[family_b.pk]), {}).status_code == 404


def test_operator_gets_404_for_a_member_of_another_desa(login, operator_a, operator_b, make_family):
    head_b = make_family(operator_b, DESA_B).members.get()
    response = login(operator_a).get(reverse("web:person_edit", args=[head_b.pk]))
    assert response.status_code == 404
    assert "di luar wilayah kerja Anda" in response.content.decode()
    assert head_b.name not in response.content.decode()


def test_operator_lists_only_own_desa(login, operator_a, operator_b, make_family):
    make_family(operator_a, head_name="Warga Pondok Rajeg")
    make_family(operator_b, DESA_B, head_name="Warga Wanaherang")
    html = login(operator_a).get(reverse("web:family_list")).content.decode()
    assert "Warga Pondok Rajeg" in html
    assert "Warga Wanaherang" not in html


def test_planner_sees_aggregates_only(login, planner, operator_a, make_family):
    family = make_family(operator_a, head_name="Asep Sunandar")
    client = login(planner)
    response = client.get(reverse("web:family_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Asep Sunandar" not in html
    assert family.no_kk not in html
    assert response.templates[0].name == "web/aggregates_only.html"
    assert client.get(reverse("web:family_detail", args=[family.pk])).status_code == 404


@pytest.mark.parametrize("name", FAMILY_PAGES[1:])
def test_read_only_role_gets_403_on_edit_pages(name, login, agency_officer, operator_a, make_family):
    family = make_family(operator_a)
    client = login(agency_officer)
    assert client.get(reverse("web:family_detail", args=[family.pk])).status_code == 200
    response = client.get(reverse(name, args=[family.pk]))
    assert response.status_code == 403
    assert "Tidak diizinkan" in response.content.decode()


def test_read_only_role_sees_no_edit_buttons(login, agency_officer, operator_a, make_family):
    family = make_family(operator_a)
    html = login(agency_officer).get(reverse("web:family_detail", args=[family.pk])).content.decode()
    assert reverse("web:family_edit", args=[family.pk]) not in html
    assert reverse("web:person_add", args=[family.pk]) not in html
    assert login(agency_officer).get(reverse("web:family_create")).status_code == 403


def test_operator_sees_edit_buttons(login, operator_a, make_family):
    family = make_family(operator_a)
    html = login(operator_a).get(reverse("web:family_detail", args=[family.pk])).content.decode()
    assert reverse("web:person_add", args=[family.pk]) in html
    assert reverse("web:survey_add", args=[family.pk]) in html


def _option_values(html: str) -> list[str]:
    import re

    return re.findall(r'<option value="([^"]*)"', html)


def test_desa_options_lists_children_of_the_kecamatan(login, agency_officer):
    response = login(agency_officer).get(reverse("web:desa_options"), {"kecamatan": KECAMATAN_A},
                                         headers={"HX-Request": "true"})
    values = _option_values(response.content.decode())
    assert values[0] == ""
    assert DESA_A in values
    assert len(values) > 2
    assert all(code.startswith(KECAMATAN_A) for code in values[1:])


def test_desa_options_stay_within_the_scope(login, operator_a, make_user):
    client = login(operator_a)
    assert _option_values(client.get(reverse("web:desa_options"), {"kecamatan": KECAMATAN_A}).content.decode()) \
        == ["", DESA_A]
    assert _option_values(client.get(reverse("web:desa_options"), {"kecamatan": DESA_B[:6]}).content.decode()) \
        == [""]
    planner = make_user(Role.PLANNER, REGENCY, username="planner2")
    client.force_login(planner)
    assert _option_values(client.get(reverse("web:desa_options"), {"kecamatan": KECAMATAN_A}).content.decode()) \
        == [""]


def test_kecamatan_filter_offers_only_kecamatan_in_scope(login, make_user):
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)
    form = login(verifier).get(reverse("web:family_list")).context["form"]
    assert [code for code, _ in form.fields["kecamatan"].choices] == ["", KECAMATAN_A]
    desa_codes = [code for code, _ in form.fields["desa"].choices][1:]
    assert DESA_A in desa_codes and all(code.startswith(KECAMATAN_A) for code in desa_codes)
