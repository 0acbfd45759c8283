"""The family list: filters, pagination, and a count that stays fast."""

from django.urls import reverse

from sejahtera.web.pagination import CappedPaginator


def test_name_search_filters_the_list(login, operator_a, make_family):
    make_family(operator_a, head_name="Dedi Mulyadi")
    make_family(operator_a, head_name="Siti Aminah")
    client = login(operator_a)
    html = client.get(reverse("web:family_list"), {"name": "mulya"}).content.decode()
    assert "Dedi Mulyadi" in html and "Siti Aminah" not in html


def test_flag_filter(login, operator_a, make_family):
    make_family(operator_a, head_name="Dedi Mulyadi")
    response = login(operator_a).get(reverse("web:family_list"), {"flag": "no_survey"})
    assert "Dedi Mulyadi" in response.content.decode()
    response = login(operator_a).get(reverse("web:family_list"), {"flag": "no_nik"})
    assert "Dedi Mulyadi" not in response.content.decode()


def test_list_is_paginated_by_50(login, operator_a, make_family):
    for _ in range(51):
        make_family(operator_a)
    client = login(operator_a)
    first = client.get(reverse("web:family_list"))
    assert len(first.context["page"].object_list) == 50
    assert first.context["paginator"].count == 51
    second = client.get(reverse("web:family_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert second.context["page"].object_list[0].member_count == 1


def test_pagination_links_keep_the_filters(login, operator_a, make_family):
    for _ in range(51):
        make_family(operator_a, head_name="Dedi Mulyadi")
    html = login(operator_a).get(reverse("web:family_list"), {"name": "dedi"}).content.decode()
    assert 'href="?name=dedi&amp;page=2"' in html


def test_the_count_stops_at_its_limit(login, operator_a, make_family, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "count_limit", 2)
    for _ in range(3):
        make_family(operator_a)
    response = login(operator_a).get(reverse("web:family_list"))
    assert response.context["paginator"].count == 2
    assert response.context["paginator"].is_capped
    assert "Lebih dari 2 keluarga" in response.content.decode()
