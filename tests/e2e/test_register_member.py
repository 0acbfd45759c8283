"""A desa operator finds a family and registers a new member, correcting an invalid NIK."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from sejahtera.registry.identity import nik_for_birth
from sejahtera.registry.models import Person
from tests.conftest import DESA_A
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e



def test_operator_registers_a_member(page, screenshot, operator_a, make_family):
    family = make_family(operator_a, head_name="Asep Sunandar")
    make_family(operator_a, head_name="Dedi Mulyadi")
    log_in(page, operator_a.username)
    expect(page.get_by_text("Operator Desa · Pondok Rajeg")).to_be_visible()
    screenshot("family_list")

    # Find the family by a part of a member's name.
    page.get_by_label("Nama anggota").fill("sunandar")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("cell", name="Dedi Mulyadi")).to_have_count(0)
    page.get_by_role("link", name=family.no_kk).click()
    expect(page).to_have_url(re.compile(rf"/families/{family.pk}/$"))
    expect(page.get_by_role("cell", name="Kepala Keluarga").first).to_be_visible()

    # An invalid NIK (15 digits) is refused, with the identity module's message under the field.
    page.get_by_role("link", name="Tambah anggota").click()
    birth = datetime.date(1985, 7, 9)
    page.get_by_label("NIK").fill(nik_for_birth(DESA_A[:6], birth, "P", 4321)[:15])
    page.get_by_label("Nama", exact=True).fill("Euis Komariah")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Tempat lahir").fill("Bogor")
    page.get_by_label("Tanggal lahir").fill(birth.isoformat())
    page.get_by_label("Hubungan dalam keluarga").select_option(label="Istri")
    page.get_by_label("Status perkawinan").select_option(label="Kawin")
    page.get_by_role("button", name="Simpan").click()
    error = page.locator(".field.has-error .error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("NIK harus tepat 16 digit")
    screenshot("member_form_error")
    assert not Person.objects.filter(name="Euis Komariah").exists()

    # A valid NIK matching the entered sex and birth date is saved; the page shows the new member.
    nik = nik_for_birth(DESA_A[:6], birth, "P", 4321)
    page.get_by_label("NIK").fill(nik)
    page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(re.compile(rf"/families/{family.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Euis Komariah sudah ditambahkan")
    row = page.get_by_role("region", name="Anggota", exact=True).get_by_role("row").filter(has_text="Euis Komariah")
    expect(row).to_contain_text(nik)
    expect(row).to_contain_text("Istri")
    expect(row).to_contain_text("Perempuan")
    screenshot("family_detail")

    person = Person.objects.get(nik=nik)
    assert (person.family_id, person.sex, person.birth_date, person.warnings) == (family.pk, "P", birth, [])

    # The exact search by the new NIK leads back to the family, without the NIK in any URL.
    page.get_by_role("link", name="Keluarga", exact=True).first.click()
    page.get_by_label("Cari dengan NIK atau No. KK").fill(nik)
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/families/{family.pk}/$"))
    assert nik not in page.url
