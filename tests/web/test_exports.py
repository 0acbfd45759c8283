"""Exports of the family list and the person list: XLSX and CSV, NIK as text, masking, audit, filters."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from sejahtera.core.models import AuditEvent
from sejahtera.registry import exports
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.importing.pipeline import import_file
from sejahtera.registry.models import Person
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A

pytestmark = pytest.mark.django_db

FAMILY_HEADER = ["No. KK", "Kepala Keluarga", "NIK Kepala Keluarga", "Jumlah Anggota", "Kode Desa",
                 "Desa/Kelurahan", "Kecamatan", "Alamat", "RT", "RW", "Ada Peringatan Data"]
PERSON_HEADER = ["NIK", "Nama", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "Hubungan Keluarga",
                 "Status Perkawinan", "Pendidikan", "Pekerjaan", "Status Pekerjaan", "Disabilitas", "Status JKN",
                 "No. KK", "Kode Desa", "Desa/Kelurahan", "Kecamatan", "Alamat", "RT", "RW", "Ada Peringatan Data"]


def today() -> str:
    return f"{timezone.localdate():%Y%m%d}"


def xlsx_rows(response) -> tuple[list, list[list]]:
    """The header and the rows of the first sheet, as cells (to look at their number format)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows()]
    return [cell.value for cell in rows[0]], rows[1:]


def csv_rows(response) -> list[dict]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def families(operator_a, operator_b, make_family):
    """Two families in desa A (one with a wife), one in desa B."""
    first = make_family(operator_a, head_name="Asep Sunandar")
    second = make_family(operator_a, head_name="Dedi Mulyadi")
    other = make_family(operator_b, DESA_B, head_name="Ujang Wanaherang")
    from sejahtera.registry import services
    from sejahtera.registry.identity import nik_for_birth

    services.person_add(actor=operator_a, family=first, nik=nik_for_birth(KECAMATAN_A, datetime.date(1985, 7, 9),
                                                                          "P", 901),
                        name="Euis Komariah", sex="P", birth_place="Bogor", birth_date=datetime.date(1985, 7, 9),
                        relationship=3, marital_status=2, education=3)
    return first, second, other


def test_operator_exports_families_as_xlsx_with_full_numbers_as_text(login, operator_a, families):
    first, second, _other = families
    response = login(operator_a).get(reverse("web:family_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="keluarga-{DESA_A}-{today()}.xlsx"'
    header, rows = xlsx_rows(response)
    assert header == FAMILY_HEADER
    assert [row[0].value for row in rows] == [first.no_kk, second.no_kk]
    assert {row[0].number_format for row in rows} == {"@"}
    assert {row[2].number_format for row in rows} == {"@"}
    assert rows[0][1].value == "Asep Sunandar" and rows[0][2].value == first.members.get(relationship=1).nik
    assert rows[0][3].value == 2 and rows[1][3].value == 1
    assert rows[0][4].value == DESA_A and rows[0][5].value == "Pondok Rajeg" and rows[0][6].value == "Cibinong"
    assert rows[0][8].value == "003" and rows[0][10].value == "Tidak"

    event = AuditEvent.objects.get(action="export")
    assert event.actor == operator_a and event.object_type == "registry.family" and event.region_code == DESA_A
    assert event.summary == "families.xlsx -: 2 rows"
    assert event.changes == {"format": "xlsx", "filters": {}, "rows": 2}


def test_agency_officer_gets_masked_numbers(login, agency_officer, families):
    first, _second, other = families
    response = login(agency_officer).get(reverse("web:person_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="penduduk-3201-{today()}.xlsx"'
    header, rows = xlsx_rows(response)
    assert header == PERSON_HEADER
    niks = {person.nik for person in Person.objects.all()}
    assert len(rows) == 4
    assert {row[0].value for row in rows} == {mask_nik(nik) for nik in niks}
    assert all("*" in row[0].value and "*" in row[12].value for row in rows)
    assert {row[0].number_format for row in rows} == {row[12].number_format for row in rows} == {"@"}
    assert other.no_kk not in {row[12].value for row in rows}


@pytest.mark.parametrize("name", ["web:family_export", "web:person_export"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_planner_gets_403(login, planner, families, name, fmt):
    assert login(planner).get(reverse(name, args=[fmt])).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_unknown_format_is_404(login, operator_a):
    assert login(operator_a).get(reverse("web:family_export", args=["pdf"])).status_code == 404


def test_person_csv_is_streamed_with_the_filters(login, operator_a, families):
    first, _second, _other = families
    response = login(operator_a).get(reverse("web:person_export", args=["csv"]), {"name": "komariah"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="penduduk-{DESA_A}-{today()}.csv"'
    rows = csv_rows(response)
    # The name filter finds the family; the person list holds all its members, head first.
    assert list(rows[0]) == PERSON_HEADER
    assert [row["Nama"] for row in rows] == ["Asep Sunandar", "Euis Komariah"]
    head, wife = rows
    assert head["NIK"] == first.members.get(relationship=1).nik and head["No. KK"] == first.no_kk
    assert head["Jenis Kelamin"] == "Laki-laki" and head["Hubungan Keluarga"] == "Kepala Keluarga"
    assert wife["Tanggal Lahir"] == "09/07/1985" and wife["Hubungan Keluarga"] == "Istri"
    event = AuditEvent.objects.get(action="export")
    assert event.object_type == "registry.person"
    assert event.summary == "persons.csv name=komariah: 2 rows"
    assert event.changes["rows"] == 2 and event.changes["filters"] == {"name": "komariah"}


def test_family_csv_respects_the_desa_filter(login, agency_officer, families):
    _first, _second, other = families
    response = login(agency_officer).get(reverse("web:family_export", args=["csv"]),
                                         {"kecamatan": DESA_B[:6], "desa": DESA_B})
    assert response["Content-Disposition"] == f'attachment; filename="keluarga-{DESA_B}-{today()}.csv"'
    rows = csv_rows(response)
    assert [row["No. KK"] for row in rows] == [mask_nik(other.no_kk)]
    assert rows[0]["Kepala Keluarga"] == "Ujang Wanaherang"
    assert AuditEvent.objects.get(action="export").changes["filters"] == {"kecamatan": DESA_B[:6], "desa": DESA_B}


def test_operator_cannot_export_another_desa(login, operator_a, families):
    response = login(operator_a).get(reverse("web:family_export", args=["csv"]), {"desa": DESA_B})
    # The filter outside the scope is dropped; the export stays inside the operator's desa.
    assert {row["Kode Desa"] for row in csv_rows(response)} == {DESA_A}


def test_family_list_links_the_exports_with_its_filters(login, operator_a, families):
    html = login(operator_a).get(reverse("web:family_list"), {"name": "asep", "page": "1"}).content.decode()
    assert f'{reverse("web:family_export", args=["xlsx"])}?name=asep"' in html
    assert f'{reverse("web:person_export", args=["csv"])}?name=asep"' in html


def test_a_long_list_continues_on_a_next_sheet(login, operator_a, families, monkeypatch):
    monkeypatch.setattr(exports, "MAX_SHEET_ROWS", 2)
    response = login(operator_a).get(reverse("web:person_export", args=["xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Penduduk", "Penduduk (2)"]
    assert [len(list(sheet.iter_rows())) for sheet in workbook.worksheets] == [3, 2]
    assert AuditEvent.objects.get(action="export").changes["rows"] == 3


def test_an_exported_person_list_imports_again_unchanged(login, operator_a, families, tmp_path):
    response = login(operator_a).get(reverse("web:person_export", args=["xlsx"]))
    path = tmp_path / "penduduk.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    batch = import_file(path, actor=operator_a, dry_run=True).batch
    assert (batch.rows_total, batch.rejected, batch.inserted) == (3, 0, 0)
    assert batch.unchanged + batch.updated == 3
