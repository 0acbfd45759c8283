"""NIK and No. KK damaged by Excel: never silently accepted, never repaired by guessing."""

import pytest

from sejahtera.registry.models import Family, Person
from tests.registry.import_pipeline.helpers import (
    Row,
    counts,
    kk,
    lines_of,
    messages_of,
    nik,
    outcome_of,
    person_row,
    run,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def test_xlsx_numeric_nik_cells(tmp_path):
    complete = nik(1)  # serial 0001: ends in 1
    rounded = nik(10)  # serial 0010: ends in 0, as a NIK Excel rounded would
    short = nik(3)[:15]
    rows = [
        Row(kk(1), int(complete), "Numerik Lengkap"),                             # 2 flagged, saved
        Row(kk(1), int(rounded), "Numerik Nol", extra={"hubungan_keluarga": "Anak"}),  # 3 rejected
        Row(kk(1), int(short), "Numerik Pendek", extra={"hubungan_keluarga": "Anak"}),  # 4 rejected
        Row(kk(1), float(complete), "Numerik Float", extra={"hubungan_keluarga": "Anak"}),  # 5 dup of row 2
        Row(kk(1), nik(5), "Teks Biasa", extra={"hubungan_keluarga": "Anak"}),    # 6 inserted
        Row(kk(1), "3.20101E+15", "Teks Ilmiah", extra={"hubungan_keluarga": "Anak"}),  # 7 rejected
    ]
    result = run(write_xlsx(tmp_path / "nik_angka.xlsx", rows))
    assert counts(result) == {"inserted": 1, "flagged": 1, "rejected": 4}

    assert outcome_of(result, 2) == "flagged"
    assert "tersimpan sebagai angka" in messages_of(result, 2)
    saved = Person.objects.get(name="Numerik Lengkap")
    assert saved.nik == complete and saved.has_warnings
    assert [w["code"] for w in saved.warnings] == ["nik_numeric_cell"]

    assert outcome_of(result, 3) == "rejected"
    assert "berakhiran 0" in messages_of(result, 3) and rounded in messages_of(result, 3)
    assert outcome_of(result, 4) == "rejected"
    assert "15 digit" in messages_of(result, 4)
    assert outcome_of(result, 5) == "rejected"  # the same number as row 2 (a float cell): the later row loses
    assert "baris 2" in messages_of(result, 5)
    assert outcome_of(result, 6) is None
    assert outcome_of(result, 7) == "rejected"
    assert "notasi ilmiah" in messages_of(result, 7)
    assert [line.column for row in (3, 4, 7) for line in lines_of(result, row)] == ["nik", "nik", "nik"]

    assert set(Person.objects.values_list("name", flat=True)) == {"Numerik Lengkap", "Teks Biasa"}
    # Nothing was guessed: no stored NIK differs from what the file held as 16 digits.
    assert set(Person.objects.values_list("nik", flat=True)) == {complete, nik(5)}
    assert not Person.objects.filter(nik__startswith=short).exclude(nik__in=[complete, nik(5)]).exists()


def test_xlsx_numeric_no_kk_cells(tmp_path):
    rows = [
        Row(int(kk(1)), nik(1), "KK Numerik"),          # 2 flagged; the family keeps the warning
        Row(int(kk(20)), nik(2), "KK Berakhiran Nol"),  # 3 rejected: serial 0020
        Row(int(kk(3)[:14]), nik(3), "KK Pendek"),      # 4 rejected
        Row(kk(4), nik(4), "KK Teks"),                  # 5 inserted
    ]
    result = run(write_xlsx(tmp_path / "kk_angka.xlsx", rows))
    assert counts(result) == {"inserted": 1, "flagged": 1, "rejected": 2}
    assert outcome_of(result, 2) == "flagged"
    assert {line.column for line in lines_of(result, 2)} == {"no_kk"}
    family = Family.objects.get(no_kk=kk(1))
    assert family.has_warnings and [w["code"] for w in family.warnings] == ["kk_numeric_cell"]
    assert not Person.objects.get(nik=nik(1)).has_warnings
    assert outcome_of(result, 3) == "rejected" and "No. KK" in messages_of(result, 3)
    assert outcome_of(result, 4) == "rejected" and "14 digit" in messages_of(result, 4)
    assert {line.column for row in (3, 4) for line in lines_of(result, row)} == {"no_kk"}
    assert set(Family.objects.values_list("no_kk", flat=True)) == {kk(1), kk(4)}


@pytest.mark.parametrize("text", ["3.20101E+15", "3,20101E+15", "3.201011705800001e+15", "3E+15", "3.2E15"])
def test_csv_scientific_notation_is_rejected(tmp_path, text):
    rows = [Row(kk(1), text, "Ilmiah"), Row(text, nik(2), "KK Ilmiah")]
    result = run(write_csv(tmp_path / "ilmiah.csv", rows, delimiter=";"))
    assert counts(result) == {"rejected": 2}
    assert "notasi ilmiah" in messages_of(result, 2)
    assert lines_of(result, 2)[0].nik == text
    assert "notasi ilmiah" in messages_of(result, 3) and lines_of(result, 3)[0].column == "no_kk"
    assert not Person.objects.exists() and not Family.objects.exists()


def test_text_nik_with_apostrophe_and_spaces_is_cleaned_not_guessed(tmp_path):
    rows = [
        Row(kk(1), "'" + nik(1), "Apostrof"),                                                    # 2 inserted
        Row(kk(1), " " + " ".join([nik(2)[:4], nik(2)[4:8], nik(2)[8:12], nik(2)[12:]]) + " ", "Berspasi",
            extra={"hubungan_keluarga": "Anak"}),                                                # 3 inserted
        Row("'" + kk(1), "\u00a0" + nik(3), "Spasi NBSP", extra={"hubungan_keluarga": "Anak"}),  # 4 inserted
        Row(kk(1), nik(4)[:8] + "-" + nik(4)[8:], "Bertanda Hubung", extra={"hubungan_keluarga": "Anak"}),  # 5
        Row(kk(1), nik(5).replace("0", "O", 1), "Huruf O", extra={"hubungan_keluarga": "Anak"}),  # 6 rejected
        Row(kk(1), nik(6) + "0", "Tujuh Belas", extra={"hubungan_keluarga": "Anak"}),            # 7 rejected
        Row(kk(1), nik(7)[:15], "Lima Belas", extra={"hubungan_keluarga": "Anak"}),              # 8 rejected
        Row(kk(1), nik(8) + ".0", "Desimal", extra={"hubungan_keluarga": "Anak"}),               # 9 rejected
    ]
    result = run(write_csv(tmp_path / "teks.csv", rows))
    assert counts(result) == {"inserted": 3, "rejected": 5}
    assert set(Person.objects.values_list("nik", flat=True)) == {nik(1), nik(2), nik(3)}
    assert Family.objects.get().no_kk == kk(1)
    for row in (5, 6, 7, 8, 9):
        assert outcome_of(result, row) == "rejected"
        assert {line.column for line in lines_of(result, row)} == {"nik"}
    assert "hanya boleh berisi angka" in messages_of(result, 5), messages_of(result, 5)
    assert "17 digit" in messages_of(result, 7)
    assert "15 digit" in messages_of(result, 8)


def test_invalid_nik_rejected_suspicious_nik_flagged_with_warnings_stored(tmp_path):
    import datetime

    birth = datetime.date(1980, 5, 17)
    rows = [
        person_row(1, "Kepala", family=1),                                                     # 2 inserted
        Row(kk(1), "0901011705800002", "Provinsi Salah", extra={"hubungan_keluarga": "Anak"}),  # 3 rejected
        Row(kk(1), "3201013205800003", "Tanggal Mustahil", extra={"hubungan_keluarga": "Anak"}),  # 4 rejected
        Row(kk(1), "3201011705800000", "Seri Nol", extra={"hubungan_keluarga": "Anak"}),       # 5 rejected
        Row(kk(1), nik(6, kecamatan="329901"), "Kecamatan Asing",
            extra={"hubungan_keluarga": "Anak"}),                                              # 6 flagged
        Row(kk(1), nik(7, sex="P"), "Jenis Kelamin Beda", jenis_kelamin="L",
            extra={"hubungan_keluarga": "Anak"}),                                              # 7 flagged
        Row(kk(1), nik(8, birth=birth), "Tanggal Beda", tanggal_lahir="18/05/1980",
            extra={"hubungan_keluarga": "Anak"}),                                              # 8 flagged
    ]
    result = run(write_csv(tmp_path / "nik.csv", rows))
    assert counts(result) == {"inserted": 1, "flagged": 3, "rejected": 3}
    assert "kode provinsi" in messages_of(result, 3)
    assert "320580" in messages_of(result, 4), messages_of(result, 4)
    assert "0000" in messages_of(result, 5)
    for row, code, text in ((6, "nik_kecamatan_unknown", "329901"), (7, "nik_sex_mismatch", "jenis kelamin"),
                            (8, "nik_birth_date_mismatch", "tanggal lahir")):
        assert outcome_of(result, row) == "flagged"
        assert text in messages_of(result, row)
        person = Person.objects.get(nik=rows[row - 2].nik)
        assert person.has_warnings and [w["code"] for w in person.warnings] == [code]
        assert person.warnings[0]["message"] == lines_of(result, row)[0].message
    assert Person.objects.get(nik=nik(8)).birth_date == datetime.date(1980, 5, 18)  # stored as recorded
    assert Person.objects.count() == 4
    assert not Person.objects.get(nik=nik(1)).has_warnings
