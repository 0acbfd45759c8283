"""Import templates: header recognition, errors about columns, and turning a row into values."""

import datetime

import pytest

from sejahtera.registry import choices as c
from sejahtera.registry.importing.columns import (
    INDIVIDUALS,
    SURVEYS,
    DuplicateColumns,
    HeaderMap,
    MissingColumns,
    RowParser,
    detect_template,
    header_key,
    map_header,
)
from sejahtera.registry.models import SURVEY_FIELDS, Family, HouseholdSurvey, Person

INDIVIDUAL_COLUMNS = ["no_kk", "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hubungan_keluarga",
                      "status_perkawinan", "pendidikan", "pekerjaan", "kode_desa", "alamat", "rt", "rw"]
SURVEY_COLUMNS = ["no_kk", "tanggal_survei", "enumerator", "luas_lantai", "jenis_lantai", "jenis_dinding",
                  "jenis_atap", "sumber_air_minum", "fasilitas_bab", "sumber_penerangan", "daya_listrik",
                  "bahan_bakar_memasak", "status_kepemilikan_rumah", "memiliki_lahan", "memiliki_rumah_lain",
                  "kulkas", "ac", "televisi", "komputer", "emas", "sepeda_motor", "mobil", "ternak_besar",
                  "ternak_kecil", "pengeluaran_per_kapita"]


def test_individuals_template_columns_in_order():
    names = [col.name for col in INDIVIDUALS.columns]
    assert names[:14] == INDIVIDUAL_COLUMNS
    assert names[14:] == ["status_pekerjaan", "disabilitas", "status_jkn", "no_hp"]
    assert set(INDIVIDUALS.required) == {"no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga",
                                         "kode_desa"}


def test_individual_columns_name_real_model_fields():
    models = {"person": Person, "family": Family}
    for col in INDIVIDUALS.columns:
        models[col.model]._meta.get_field(col.field)
    assert {col.name: col.field for col in INDIVIDUALS.columns}["no_hp"] == "phone"
    assert {col.name: col.field for col in INDIVIDUALS.columns}["status_pekerjaan"] == "employment_status"


def test_survey_template_covers_every_survey_field():
    assert [col.name for col in SURVEYS.columns] == SURVEY_COLUMNS
    assert [col.field for col in SURVEYS.columns[1:]] == SURVEY_FIELDS
    for col in SURVEYS.columns[1:]:
        HouseholdSurvey._meta.get_field(col.field)
    categorical = {"jenis_lantai", "jenis_dinding", "jenis_atap", "sumber_air_minum", "fasilitas_bab",
                   "sumber_penerangan", "bahan_bakar_memasak", "status_kepemilikan_rumah"}
    assert set(SURVEYS.required) == {"no_kk", "tanggal_survei", "luas_lantai"} | categorical


def test_every_column_has_instructions():
    for template in (INDIVIDUALS, SURVEYS):
        for col in template.columns:
            assert col.help and col.accepted, col.name


@pytest.mark.parametrize(("text", "key"), [
    ("No. KK", "nokk"), (" NO_KK ", "nokk"), ("nomor-kk", "nomorkk"), ("L/P", "lp"),
    ("Tanggal Lahir (DD/MM/YYYY)", "tanggallahir"), ("nama*", "nama"), (None, ""), ("\ufeffnik", "nik"),
])
def test_header_key(text, key):
    assert header_key(text) == key


@pytest.mark.parametrize(("header", "canonical"), [
    ("No KK", "no_kk"), ("NO_KK", "no_kk"), ("nomor_kk", "no_kk"), ("nokk", "no_kk"), ("No. KK", "no_kk"),
    ("NO. KK", "no_kk"), ("Nomor Kartu Keluarga", "no_kk"), ("  no kk  ", "no_kk"), ("No-KK", "no_kk"),
    ("NIK", "nik"), ("no_nik", "nik"), ("Nik", "nik"), ("No. NIK", "nik"),
    ("nama", "nama"), ("Nama Lengkap", "nama"), ("NAMA_LENGKAP", "nama"), ("name", "nama"),
    ("jk", "jenis_kelamin"), ("JK", "jenis_kelamin"), ("jenis kelamin", "jenis_kelamin"), ("sex", "jenis_kelamin"),
    ("L/P", "jenis_kelamin"), ("Jenis Kelamin (L/P)", "jenis_kelamin"),
    ("tempat lahir", "tempat_lahir"), ("TMP_LAHIR", "tempat_lahir"),
    ("tgl_lahir", "tanggal_lahir"), ("tanggal lahir", "tanggal_lahir"), ("Tgl. Lahir", "tanggal_lahir"),
    ("TANGGAL-LAHIR", "tanggal_lahir"),
    ("shdk", "hubungan_keluarga"), ("SHDK", "hubungan_keluarga"), ("hubungan", "hubungan_keluarga"),
    ("status_hubungan_dalam_keluarga", "hubungan_keluarga"), ("Status Hubungan Dalam Keluarga", "hubungan_keluarga"),
    ("status kawin", "status_perkawinan"), ("STATUS_PERKAWINAN", "status_perkawinan"),
    ("Pendidikan Terakhir", "pendidikan"), ("PDDK_AKH", "pendidikan"),
    ("jenis_pekerjaan", "pekerjaan"), ("JENIS_PKRJN", "pekerjaan"),
    ("kode_wilayah", "kode_desa"), ("kode_kelurahan", "kode_desa"), ("kd_desa", "kode_desa"),
    ("Kode Desa/Kelurahan", "kode_desa"), ("KODE DESA", "kode_desa"),
    ("Alamat", "alamat"), ("RT", "rt"), ("rw", "rw"), ("No. RT", "rt"),
    ("status_pekerjaan", "status_pekerjaan"), ("Disabilitas", "disabilitas"), ("Status JKN", "status_jkn"),
    ("no_hp", "no_hp"), ("No. HP", "no_hp"), ("Telepon", "no_hp"),
])
def test_individual_header_aliases(header, canonical):
    assert INDIVIDUALS.lookup[header_key(header)] == canonical


@pytest.mark.parametrize(("header", "canonical"), [
    ("Tanggal Survei", "tanggal_survei"), ("tgl_survey", "tanggal_survei"), ("Luas Lantai (m2)", "luas_lantai"),
    ("Jenis Lantai", "jenis_lantai"), ("lantai", "jenis_lantai"), ("Fasilitas BAB", "fasilitas_bab"),
    ("Daya Listrik (VA)", "daya_listrik"), ("Bahan Bakar Memasak", "bahan_bakar_memasak"), ("AC", "ac"),
    ("TV", "televisi"), ("Sepeda Motor", "sepeda_motor"), ("Pengeluaran per Kapita", "pengeluaran_per_kapita"),
    ("No. KK", "no_kk"),
])
def test_survey_header_aliases(header, canonical):
    assert SURVEYS.lookup[header_key(header)] == canonical


def test_map_header_gives_positions_and_ignores_unknown_columns():
    header = ["No", "NO. KK", "Nama Lengkap", "NIK", "JK", "Tgl Lahir", "SHDK", "Kode Wilayah", "Keterangan", "", "RT"]
    mapping = map_header(header, INDIVIDUALS)
    assert isinstance(mapping, HeaderMap)
    assert mapping.index == {"no_kk": 1, "nama": 2, "nik": 3, "jenis_kelamin": 4, "tanggal_lahir": 5,
                             "hubungan_keluarga": 6, "kode_desa": 7, "rt": 10}
    assert mapping.unknown == ["No", "Keterangan"]
    assert "nik" in mapping and "rw" not in mapping
    assert mapping.get("nama") == 2 and mapping.get("alamat") is None


def test_missing_required_columns_are_listed():
    with pytest.raises(MissingColumns) as info:
        map_header(["nik", "nama", "alamat"], INDIVIDUALS)
    assert info.value.missing == ["no_kk", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_desa"]
    assert info.value.code == "missing_columns"
    for name in info.value.missing:
        assert name in info.value.message
    assert "lacks required columns" in info.value.message


def test_nik_column_is_optional():
    header = ["no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_desa"]
    assert "nik" not in map_header(header, INDIVIDUALS)


def test_columns_meaning_the_same_field_are_an_error():
    header = INDIVIDUAL_COLUMNS + ["Nama Lengkap", "JK"]
    with pytest.raises(DuplicateColumns) as info:
        map_header(header, INDIVIDUALS)
    assert info.value.duplicates == {"nama": ["nama", "Nama Lengkap"], "jenis_kelamin": ["jenis_kelamin", "JK"]}
    assert "“Nama Lengkap”" in info.value.message and "nama" in info.value.message


def test_missing_survey_columns():
    with pytest.raises(MissingColumns) as info:
        map_header(["no_kk", "tanggal_survei", "jenis_lantai"], SURVEYS)
    assert "jenis_dinding" in info.value.missing and "jenis_lantai" not in info.value.missing
    assert "kulkas" not in info.value.missing


@pytest.mark.parametrize(("header", "expected"), [
    (INDIVIDUAL_COLUMNS, INDIVIDUALS),
    (["NO KK", "Nama Lengkap", "JK"], INDIVIDUALS),
    (["nik", "no_kk"], INDIVIDUALS),
    (SURVEY_COLUMNS, SURVEYS),
    (["No. KK", "Tanggal Survei", "Jenis Lantai"], SURVEYS),
    (["no_kk", "alamat"], None),
    (["foo", "bar"], None),
    ([], None),
])
def test_detect_template(header, expected):
    assert detect_template(header) is expected


# --- RowParser -------------------------------------------------------------------------------

def person_row(**cells):
    row = {"no_kk": "3201011705800002", "nik": "3201011705800001", "nama": "  Dede   Ma'mun ",
           "jenis_kelamin": "Laki-laki", "tempat_lahir": "Bogor", "tanggal_lahir": "17/05/1980",
           "hubungan_keluarga": "KEPALA KELUARGA", "status_perkawinan": "Kawin Tercatat",
           "pendidikan": "SLTA/Sederajat",
           "pekerjaan": "Petani", "kode_desa": "32.01.01.1001", "alamat": "Kp. Cibinong", "rt": "3", "rw": "RW 05"}
    row.update(cells)
    return [row[name] for name in INDIVIDUAL_COLUMNS]


@pytest.fixture
def parse_person():
    return RowParser(map_header(INDIVIDUAL_COLUMNS, INDIVIDUALS))


def test_row_parser_gives_model_values(parse_person):
    values, problems, warnings = parse_person(person_row())
    assert problems is None and warnings is None
    assert values == {
        "no_kk": "3201011705800002", "nik": "3201011705800001", "nama": "Dede Ma'mun", "jenis_kelamin": "L",
        "tempat_lahir": "Bogor", "tanggal_lahir": datetime.date(1980, 5, 17), "hubungan_keluarga": 1,
        "status_perkawinan": c.MaritalStatus.MARRIED, "pendidikan": c.Education.SENIOR_SECONDARY,
        "pekerjaan": "Petani", "kode_desa": "3201011001", "alamat": "Kp. Cibinong", "rt": "003", "rw": "005",
        # optional columns absent from the file get the model defaults
        "status_pekerjaan": c.EmploymentStatus.NOT_WORKING, "disabilitas": c.Disability.NONE,
        "status_jkn": c.JknStatus.NONE, "no_hp": "",
    }


def test_row_parser_blank_optional_cells_get_defaults(parse_person):
    values, problems, warnings = parse_person(person_row(tempat_lahir="", status_perkawinan=" ", pendidikan="-",
                                                         pekerjaan="", alamat="", rt="", rw=""))
    assert problems is None and warnings is None
    assert values["tempat_lahir"] == "" and values["pekerjaan"] == "" and values["rt"] == ""
    assert values["status_perkawinan"] == c.MaritalStatus.SINGLE
    assert values["pendidikan"] == c.Education.NONE


def test_row_parser_reports_each_problem_and_blank_required_cells(parse_person):
    values, problems, warnings = parse_person(person_row(nama="", jenis_kelamin="X", tanggal_lahir="31/02/1990",
                                                         kode_desa="", nik="3.20101E+15"))
    assert [(name, problem.code) for name, problem in problems] == [
        ("nik", "nik_scientific"), ("nama", "required"), ("jenis_kelamin", "sex_invalid"),
        ("tanggal_lahir", "date_impossible"), ("kode_desa", "required")]
    assert "nama is required" in problems[1][1].message
    assert warnings is None
    assert values["no_kk"] == "3201011705800002"  # the good cells are still parsed


def test_row_parser_warns_for_a_person_without_nik(parse_person):
    values, problems, warnings = parse_person(person_row(nik=""))
    assert problems is None
    assert values["nik"] is None
    assert [(name, issue.code) for name, issue in warnings] == [("nik", "nik_missing")]


def test_row_parser_warns_for_numeric_nik_and_kk(parse_person):
    values, problems, warnings = parse_person(person_row(nik=3201011705800001, no_kk=3201011705800002.0))
    assert problems is None
    assert values["nik"] == "3201011705800001" and values["no_kk"] == "3201011705800002"
    assert [(name, issue.code) for name, issue in warnings] == [("no_kk", "kk_numeric_cell"),
                                                                ("nik", "nik_numeric_cell")]


def test_row_parser_without_nik_column_has_no_nik_warning():
    header = ["no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_desa"]
    parse = RowParser(map_header(header, INDIVIDUALS))
    values, problems, warnings = parse(["3201011705800002", "Siti", "P", "1990-01-02", "Istri", "3201011001"])
    assert problems is None and warnings is None
    assert values["nik"] is None and values["hubungan_keluarga"] == c.Relationship.WIFE


def test_row_parser_for_surveys():
    parse = RowParser(map_header(SURVEY_COLUMNS, SURVEYS))
    cells = ["3201011705800002", "01/03/2025", "Ujang", "36 m2", "Keramik", "Tembok", "Genteng", "Air Isi Ulang",
             "Sendiri dengan Tangki Septik", "Listrik PLN dengan Meteran", "900 VA", "LPG 3 kg", "Milik Sendiri",
             "Tidak", "T", "Ya", "0", "1", "Tidak Ada", "", "Ya", "", "0", "2", "Rp1.250.000"]
    values, problems, warnings = parse(cells)
    assert problems is None and warnings is None
    assert values == {
        "no_kk": "3201011705800002", "tanggal_survei": datetime.date(2025, 3, 1), "enumerator": "Ujang",
        "luas_lantai": 36, "jenis_lantai": "ceramic", "jenis_dinding": "masonry", "jenis_atap": "roof_tile",
        "sumber_air_minum": "refill", "fasilitas_bab": "own_septic", "sumber_penerangan": "pln_metered",
        "daya_listrik": 900, "bahan_bakar_memasak": "lpg_3kg", "status_kepemilikan_rumah": "own",
        "memiliki_lahan": False, "memiliki_rumah_lain": False, "kulkas": True, "ac": False, "televisi": True,
        "komputer": False, "emas": False, "sepeda_motor": True, "mobil": False, "ternak_besar": 0, "ternak_kecil": 2,
        "pengeluaran_per_kapita": 1_250_000,
    }
