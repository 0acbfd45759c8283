"""Exact search by NIK or No. KK: POST only, the number never lands in a URL."""

from django.urls import reverse

from sejahtera.core.models import AuditEvent
from sejahtera.registry.identity import mask_nik
from tests.conftest import DESA_B


def test_search_by_nik_opens_the_family(login, operator_a, make_family):
    family = make_family(operator_a)
    nik = family.members.get().nik
    response = login(operator_a).post(reverse("web:identity_search"), {"number": nik})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:family_detail", args=[family.pk])
    assert nik not in response["Location"]
    assert AuditEvent.objects.get(action="search").summary == mask_nik(nik)


def test_search_by_no_kk_opens_the_family(login, operator_a, make_family):
    family = make_family(operator_a)
    response = login(operator_a).post(reverse("web:identity_search"), {"number": f" {family.no_kk} "})
    assert response["Location"] == reverse("web:family_detail", args=[family.pk])


def test_search_outside_the_area_finds_nothing(login, operator_a, operator_b, make_family):
    family_b = make_family(operator_b, DESA_B)
    nik = family_b.members.get().nik
    response = login(operator_a).post(reverse("web:identity_search"), {"number": nik}, follow=True)
    for url, _status in response.redirect_chain:
        assert nik not in url
    assert response.request["PATH_INFO"] == reverse("web:family_list")
    assert "tidak ditemukan di wilayah Anda" in response.content.decode()


def test_search_rejects_a_wrong_number_without_putting_it_in_the_url(login, operator_a):
    response = login(operator_a).post(reverse("web:identity_search"), {"number": "320101"}, follow=True)
    assert all("320101" not in url for url, _status in response.redirect_chain)
    assert "16 digit" in response.content.decode()


def test_search_is_post_only(login, operator_a, make_family):
    family = make_family(operator_a)
    assert login(operator_a).get(reverse("web:identity_search"), {"number": family.no_kk}).status_code == 405
