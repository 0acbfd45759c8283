"""Indonesian by default, English after switching."""

from django.urls import reverse


def test_indonesian_by_default_and_english_after_switching(login, operator_a, make_family):
    family = make_family(operator_a)
    client = login(operator_a)
    url = reverse("web:family_detail", args=[family.pk])
    html = client.get(url).content.decode()
    assert '<html lang="id">' in html
    assert "Kepala Keluarga" in html
    assert "Operator Desa · Pondok Rajeg" in html

    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "Head of family" in html
    assert "Kepala Keluarga" not in html

    client.post(reverse("set_language"), {"language": "id", "next": url})
    assert "Kepala Keluarga" in client.get(url).content.decode()


def test_login_page_is_in_indonesian(client):
    html = client.get(reverse("login")).content.decode()
    assert "Masuk" in html


def test_login_and_logout(client, operator_a):
    response = client.post(reverse("login"), {"username": operator_a.username, "password": "rahasia-uji-123"})
    assert response["Location"] == reverse("web:family_list")
    assert client.get(reverse("web:family_list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("web:family_list")).status_code == 302


def test_one_english_word_with_two_meanings_gets_the_indonesian_word_of_each():
    from django.utils import translation

    from sejahtera.monitoring.models import Realisation
    from sejahtera.programs.models import Payment, Programme
    from sejahtera.training.models import Trainee

    def label(model, field: str) -> str:
        return str(model._meta.get_field(field).verbose_name)

    with translation.override("id"):
        assert label(Trainee, "batch") == "angkatan"
        assert label(Payment, "batch") == "batch pembayaran"
        assert label(Programme, "target") == "sasaran"
        assert label(Programme, "period") == "periode penyaluran"
        assert label(Realisation, "period_kind") == "periode"
    with translation.override("en"):
        assert label(Trainee, "batch") == label(Payment, "batch") == "batch"
        assert label(Realisation, "period_kind") == "period"
