import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["32.01.01.1001", "3201011001", " 32.01.01.1001 "])
def test_region_with_or_without_dots(client, code):
    response = client.get(f"{API}/regions/{code}")
    assert response.status_code == 200
    assert response.json() == {
        "code": "32.01.01.1001", "name": "Pondok Rajeg", "level": "desa", "level_label": response.json()["level_label"],
        "parent": "32.01.01", "desa_type": "kelurahan", "is_current": True,
    }


def test_province_has_no_parent(client):
    body = client.get(f"{API}/regions/32").json()
    assert body["code"] == "32"
    assert body["level"] == "provinsi"
    assert body["parent"] is None
    assert body["desa_type"] is None


def test_children_of_the_regency_are_its_40_kecamatan(client):
    response = client.get(f"{API}/regions/32.01/children")
    assert response.status_code == 200
    children = response.json()
    assert len(children) == 40
    assert {child["level"] for child in children} == {"kecamatan"}
    assert {child["parent"] for child in children} == {"32.01"}
    codes = [child["code"] for child in children]
    assert codes == sorted(codes)
    assert codes[0] == "32.01.01"
    assert client.get(f"{API}/regions/3201/children").json() == children


def test_children_of_a_kecamatan_are_its_desa(client):
    children = client.get(f"{API}/regions/32.01.01/children").json()
    assert children
    assert {child["level"] for child in children} == {"desa"}
    assert all(child["code"].startswith("32.01.01.") for child in children)
    assert {"code": "32.01.01.1001", "name": "Pondok Rajeg"}.items() <= children[0].items()
    assert {child["desa_type"] for child in children} <= {"desa", "kelurahan"}


def test_a_desa_has_no_children(client):
    assert client.get(f"{API}/regions/32.01.01.1001/children").json() == []


@pytest.mark.parametrize("path", ["32.01.99", "32.01.99/children", "3201019999"])
def test_unknown_code_is_404_with_a_message(client, path):
    response = client.get(f"{API}/regions/{path}")
    assert response.status_code == 404
    assert "No region has the code 32.01." in response.json()["detail"]


@pytest.mark.parametrize("code", ["3", "32.1", "320", "abc", "32.01.01.20011", "32..01", "32-01"])
def test_malformed_code_is_422(client, code):
    for path in (f"{API}/regions/{code}", f"{API}/regions/{code}/children"):
        response = client.get(path)
        assert response.status_code == 422, path
        assert "is not a region code" in response.json()["detail"]


def test_search_by_level_parent_and_name(client):
    body = client.get(f"{API}/regions/", {"level": "kecamatan", "parent": "32.01", "limit": 100}).json()
    assert body["count"] == 40
    assert len(body["items"]) == 40
    found = client.get(f"{API}/regions/", {"q": "pondok rajeg", "parent": "320101"}).json()
    assert [item["code"] for item in found["items"]] == ["32.01.01.1001"]
    assert client.get(f"{API}/regions/", {"level": "negara"}).status_code == 422
    assert client.get(f"{API}/regions/", {"parent": "x"}).status_code == 422


def test_region_endpoints_are_public_and_cacheable(client):
    response = client.get(f"{API}/regions/32.01")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
