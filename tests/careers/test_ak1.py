"""The AK/1 card PDF: readable, with its number and name; only the seeker's own or staff of the region."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sejahtera.careers.models import JobSeeker
from sejahtera.core.models import AuditEvent
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_the_seeker_downloads_their_own_card(make_seeker, resident, login):
    seeker = make_seeker(user=resident)
    response = login(resident).get(reverse("web:ak1_card"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = _text(response)
    assert seeker.ak1_number in text and "Neng Rina" in text and seeker.person.nik in text
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_type="careers.jobseeker",
                                     object_id=str(seeker.pk), actor=resident).count() == 1


def test_disnaker_staff_print_a_card_in_their_region(make_seeker, disnaker, disnaker_kecamatan_b, login):
    seeker = make_seeker(DESA_A)
    assert seeker.ak1_number in _text(login(disnaker).get(reverse("web:ak1_card_staff", args=[seeker.pk])))
    assert login(disnaker_kecamatan_b).get(reverse("web:ak1_card_staff", args=[seeker.pk])).status_code == 404


def test_no_one_else_gets_a_card(make_seeker, resident, employer_user, login, django_user_model):
    seeker = make_seeker(user=resident)
    other = django_user_model.objects.create_user(username="lain", password="rahasia-uji-123")
    make_seeker(user=other)
    client = login(other)
    own = client.get(reverse("web:ak1_card"))
    assert seeker.ak1_number not in _text(own)
    assert client.get(reverse("web:ak1_card_staff", args=[seeker.pk])).status_code == 404
    assert login(employer_user).get(reverse("web:ak1_card")).status_code == 404  # not a seeker
    assert JobSeeker.objects.filter(user=employer_user).count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, plain_http, make_seeker):
    seeker = make_seeker()
    response = client.get(reverse("web:ak1_card_staff", args=[seeker.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
