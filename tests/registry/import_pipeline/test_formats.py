"""import_registry on real files: encodings, delimiters, XLSX, the report, and files it cannot read."""

import codecs
import datetime
import zipfile

import pytest
from django.core.management.base import CommandError
from django.utils import translation

from sejahtera.core.models import AuditEvent
from sejahtera.registry.importing.report import MESSAGES, REPORT_COLUMNS, message_for
from sejahtera.registry.models import Family, FamilyMembership, HouseholdSurvey, ImportBatch, Person
from tests.registry.import_pipeline.helpers import (
    DESA_A,
    HEADER,
    REQUIRED_HEADER,
    SURVEY_HEADER,
    Row,
    command,
    counts,
    kk,
    nik,
    person_row,
    read_report,
    run,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

NAMES = ["Dede Ma'mun", "Iyép", "Siti Ñuraeni", "Çécile Ünal", "Ma'ruf Amin"]


def family_rows():
    """A family of three: head, wife, child."""
    return [
        person_row(1, "Asep Sunandar", family=1),
        person_row(2, "Iyép", family=1, sex="P", birth=datetime.date(1984, 2, 3), relationship="Istri"),
        person_row(3, "Dede Ma'mun", family=1, birth=datetime.date(2010, 9, 30), relationship="Anak"),
    ]


def assert_family_saved():
    family = Family.objects.get(no_kk=kk(1))
    assert sorted(family.members.values_list("name", flat=True)) == ["Asep Sunandar", "Dede Ma'mun", "Iyép"]
    iyep = Person.objects.get(nik=nik(2, birth=datetime.date(1984, 2, 3), sex="P"))
    assert (iyep.name, iyep.sex, iyep.birth_date, iyep.relationship) == ("Iyép", "P", datetime.date(1984, 2, 3), 3)
    assert FamilyMembership.objects.filter(family=family, ended_on__isnull=True).count() == 3


@pytest.mark.parametrize(("encoding", "bom", "delimiter"), [
    ("utf-8", False, ","), ("utf-8", True, ","), ("utf-8", True, ";"), ("cp1252", False, ","),
    ("cp1252", False, ";"),
], ids=["utf8", "utf8-bom", "utf8-bom-semicolon", "cp1252", "cp1252-semicolon"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, bom, delimiter):
    path = write_csv(tmp_path / "individu.csv", family_rows(), encoding=encoding, bom=bom, delimiter=delimiter)
    if encoding == "cp1252":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    result = run(path)
    assert counts(result) == {"inserted": 3}
    assert result.lines == []
    assert_family_saved()


def test_windows_1252_names_with_accents_and_apostrophes_are_stored_exactly(tmp_path):
    rows = [person_row(10 + i, name, family=10) for i, name in enumerate(NAMES)]
    for row in rows[1:]:
        row.hubungan_keluarga = "Anak"
    path = write_csv(tmp_path / "win.csv", rows, encoding="cp1252", delimiter=";")
    assert b"Iy\xe9p" in path.read_bytes()  # é as the single Windows-1252 byte
    result = run(path)
    assert counts(result) == {"inserted": 5}
    stored = {Person.objects.get(nik=row.nik).name for row in rows}
    assert stored == set(NAMES)
    assert Person.objects.get(nik=rows[0].nik).name == "Dede Ma'mun"
    assert Person.objects.get(nik=rows[1].nik).name == "Iyép"


def test_xlsx_with_text_cells_and_date_cells(tmp_path):
    rows = family_rows()
    for row in rows:  # a real date cell instead of text
        row.tanggal_lahir = datetime.datetime.strptime(row.tanggal_lahir, "%d/%m/%Y")
    path = write_xlsx(tmp_path / "individu.xlsx", rows)
    result = run(path)
    assert counts(result) == {"inserted": 3}
    assert_family_saved()


def test_file_without_nik_column_imports_persons_flagged(tmp_path):
    header = [name for name in REQUIRED_HEADER if name != "nik"]
    path = write_csv(tmp_path / "tanpa_nik.csv", [person_row(1, "Asep")], header)
    result = run(path)
    assert counts(result) == {"flagged": 1}
    person = Person.objects.get()
    assert person.nik is None and person.has_warnings
    assert [w["code"] for w in person.warnings] == ["nik_missing"]


# --- the command, its summary and the report ------------------------------------------------

def problem_file(tmp_path, name="individu.csv"):
    rows = [
        person_row(1, "Asep Sunandar"),                                   # 2 inserted
        Row(kk(2), "", "Tanpa NIK"),                                      # 3 flagged: no NIK
        person_row(3, "NIK Pendek", family=3),                            # 4 rejected: 15 digits
        person_row(4, "Desa Tak Dikenal", family=4, desa="3201019999"),   # 5 rejected: unknown desa
    ]
    rows[2].nik = rows[2].nik[:15]
    return write_csv(tmp_path / name, rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_command_prints_summary_and_writes_report(tmp_path, suffix):
    path = problem_file(tmp_path)
    report = tmp_path / f"laporan{suffix}"
    out = command(path, "--report", report)
    assert "individu.csv: 4 rows: 1 inserted, 0 updated, 0 unchanged, 1 flagged, 2 rejected" in out
    assert "Report:" in out
    lines = read_report(report)
    assert list(lines[0]) == REPORT_COLUMNS == ["row", "column", "nik", "outcome", "message", "file"]
    by_row = {int(line["row"]): line for line in lines}
    assert set(by_row) == {3, 4, 5}  # every flagged and rejected row, nothing else
    assert {line["file"] for line in lines} == {"individu.csv"}
    assert (by_row[3]["outcome"], by_row[3]["column"]) == ("flagged", "nik")
    assert by_row[3]["message"] == "Orang ini tidak memiliki NIK."
    assert (by_row[4]["outcome"], by_row[4]["column"], str(by_row[4]["nik"])) == ("rejected", "nik", nik(3)[:15])
    assert by_row[4]["message"] == "NIK harus tepat 16 digit; yang dimasukkan 15 digit."
    assert (by_row[5]["outcome"], by_row[5]["column"]) == ("rejected", "kode_desa")
    assert by_row[5]["message"] == "Kode desa/kelurahan tidak ada dalam daftar wilayah Kemendagri."
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows_total, batch.inserted, batch.flagged, batch.rejected) == ("done", 4, 1, 1, 2)
    assert Person.objects.count() == 2


def test_report_of_several_files_names_each_file(tmp_path):
    first = problem_file(tmp_path, "desa1.csv")
    second = write_csv(tmp_path / "desa2.csv", [person_row(1, "Asep Sunandar"), person_row(20, "Budi", family=20,
                                                                                          desa="3201019999")])
    report = tmp_path / "laporan.csv"
    command(first, second, "--report", report)
    lines = read_report(report)
    assert {(line["file"], line["row"]) for line in lines} == {
        ("desa1.csv", "3"), ("desa1.csv", "4"), ("desa1.csv", "5"), ("desa2.csv", "3")}


def test_report_messages_are_indonesian():
    """Every reason the merge can give reads in Indonesian, whatever the active language."""
    with translation.override("en"):
        for code in MESSAGES:
            english = str(MESSAGES[code]) % {"detail": "7"}
            assert message_for(code, "7") != english, f"{code} has no Indonesian text"


def test_dry_run_writes_nothing(tmp_path):
    path = problem_file(tmp_path)
    out = command(path, "--dry-run")
    assert "1 inserted, 0 updated, 0 unchanged, 1 flagged, 2 rejected" in out and "dry run" in out
    assert not Person.objects.exists() and not Family.objects.exists()
    assert not FamilyMembership.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.dry_run and batch.status == "done" and batch.inserted == 1
    assert not AuditEvent.objects.filter(object_type__startswith="registry.").exclude(
        object_type="registry.importbatch").exists()
    # The real run afterwards finds the same outcomes.
    command(path)
    assert Person.objects.count() == 2


# --- files that cannot be imported ----------------------------------------------------------

def html_xls(path):
    path.write_text("<html><body><table><tr><td>no_kk</td><td>nama</td></tr></table></body></html>")
    return path


def pdf(path):
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    return path


def old_xls(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return path


def odt(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def missing_columns(path):
    header = [name for name in HEADER if name not in ("kode_desa", "tanggal_lahir")]
    return write_csv(path, [person_row(1, "Asep")], header)


def unknown_columns(path):
    return write_csv(path, [["a", "b"]], ["kolom_satu", "kolom_dua"])


def empty(path):
    path.write_bytes(codecs.BOM_UTF8 + b"\r\n\r\n")
    return path


def survey_missing_columns(path):
    header = [name for name in SURVEY_HEADER if name != "jenis_lantai"]
    return write_csv(path, [[kk(1), "01/02/2024"] + ["1"] * (len(header) - 2)], header)


@pytest.mark.parametrize(("make", "name", "expected"), [
    (pdf, "data.pdf", "PDF"),
    (pdf, "individu.csv", "PDF"),  # the content counts, not the name
    (html_xls, "export.xls", "halaman web"),
    (old_xls, "lama.xls", "Excel 97-2003"),
    (odt, "data.ods", "OpenDocument"),
    (missing_columns, "individu.csv", "kolom wajib: tanggal_lahir, kode_desa"),
    (survey_missing_columns, "survei.csv", "kolom wajib: jenis_lantai"),
    (unknown_columns, "lain.csv", "templat individu"),
    (empty, "kosong.csv", "kosong"),
])
def test_unreadable_file_fails_with_a_message_and_writes_nothing(tmp_path, make, name, expected):
    path = make(tmp_path / name)
    with pytest.raises(CommandError) as raised:
        command(path, "--report", tmp_path / "laporan.csv")
    message = str(raised.value)
    assert message.startswith(f"{name}: ") and expected in message and "Nothing was written" in message
    assert not Family.objects.exists() and not Person.objects.exists() and not ImportBatch.objects.exists()
    assert not (tmp_path / "laporan.csv").exists()


def test_unreadable_file_among_several_writes_nothing_at_all(tmp_path):
    good = write_csv(tmp_path / "a_individu.csv", family_rows())
    bad = pdf(tmp_path / "b_individu.csv")
    with pytest.raises(CommandError, match="b_individu.csv"):
        command(good, bad)
    assert not Family.objects.exists() and not Person.objects.exists() and not ImportBatch.objects.exists()


def test_file_unreadable_after_its_first_rows_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "rusak.csv", family_rows())
    with path.open("a", encoding="utf-8") as handle:  # a field over the CSV reader's 128 KB limit
        handle.write(f'{kk(9)},{nik(9)},"{"x" * 200_000}",L,Bogor,17/05/1980,Kepala Keluarga\r\n')
    with pytest.raises(CommandError) as raised:
        command(path)
    assert "rusak.csv" in str(raised.value) and "baris 4" in str(raised.value)
    assert not Family.objects.exists() and not Person.objects.exists() and not ImportBatch.objects.exists()


def test_missing_file_and_unknown_user_fail_before_writing(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        command(tmp_path / "tidak_ada.csv")
    path = write_csv(tmp_path / "individu.csv", family_rows())
    with pytest.raises(CommandError, match="No user"):
        command(path, "--user", "hantu")
    assert not Person.objects.exists() and not ImportBatch.objects.exists()


def test_individuals_are_imported_before_surveys_whatever_the_file_names(tmp_path):
    survey = write_csv(tmp_path / "a_rumah_tangga.csv", [[
        kk(1), "01/02/2024", "Petugas", "36", "Keramik", "Tembok", "Genteng", "Leding", "Bersama",
        "PLN dengan Meteran", "900", "LPG 3 kg", "Milik Sendiri", "Tidak", "Ya", "Ya", "0", ""]], SURVEY_HEADER)
    individuals = write_csv(tmp_path / "b_warga.csv", family_rows())
    out = command(survey, individuals)
    assert out.index("b_warga.csv") < out.index("a_rumah_tangga.csv")
    assert HouseholdSurvey.objects.filter(family__no_kk=kk(1)).count() == 1
    assert DESA_A == Family.objects.get().desa_id
