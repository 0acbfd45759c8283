"""The family list filters: the desa select reloads by htmx when the kecamatan changes."""

import pytest
from playwright.sync_api import expect

from tests.conftest import DESA_A, DESA_B

pytestmark = pytest.mark.e2e


def test_kecamatan_choice_reloads_the_desa_options(page, screenshot, agency_officer, operator_a, operator_b,
                                                   make_family):
    make_family(operator_a, head_name="Warga Pondok Rajeg")
    make_family(operator_b, DESA_B, head_name="Warga Wanaherang")
    page.goto("/login/")
    page.get_by_label("Nama pengguna").fill(agency_officer.username)
    page.get_by_label("Sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()

    desa = page.get_by_label("Desa/Kelurahan")
    expect(desa.locator("option")).to_have_count(1)  # no kecamatan chosen yet
    page.get_by_label("Kecamatan").select_option(label="Cibinong")
    expect(desa.locator(f'option[value="{DESA_A}"]')).to_have_count(1)
    expect(desa.locator(f'option[value="{DESA_B}"]')).to_have_count(0)
    desa.select_option(DESA_A)
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("cell", name="Warga Pondok Rajeg")).to_be_visible()
    expect(page.get_by_role("cell", name="Warga Wanaherang")).to_have_count(0)
    # The choice survives the reload of the page.
    expect(page.get_by_label("Desa/Kelurahan")).to_have_value(DESA_A)
    screenshot("family_list_filtered")

    # English on request.
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Families")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Head of family")).to_be_visible()
