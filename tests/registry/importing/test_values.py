"""Cell parsers of the registry import: every accepted spelling, and refusals with their codes."""

import datetime

import pytest

from sejahtera.registry import choices as c
from sejahtera.registry.importing import values as v
from sejahtera.registry.importing import vocabulary
from sejahtera.registry.importing.values import ValueProblem

TODAY = datetime.date(2025, 6, 30)


def problem_code(parser, value, **kwargs) -> str:
    with pytest.raises(ValueProblem) as info:
        parser(value, **kwargs)
    assert info.value.message  # always something to show
    assert info.value.issue.code == info.value.code
    return info.value.code


@pytest.mark.parametrize("parser", [
    v.parse_sex, v.parse_relationship, v.parse_marital_status, v.parse_education, v.parse_employment_status,
    v.parse_disability, v.parse_jkn_status, v.parse_floor_material, v.parse_wall_material, v.parse_roof_material,
    v.parse_drinking_water, v.parse_toilet, v.parse_lighting, v.parse_cooking_fuel, v.parse_home_ownership,
    v.parse_bool, v.parse_date, v.parse_desa_code, v.parse_rt_rw, v.parse_phone, v.parse_count, v.parse_area,
    v.parse_rupiah, v.parse_installed_power,
])
@pytest.mark.parametrize("blank", [None, "", "   ", "-", " - ", "\u00a0"])
def test_blank_cells_are_none(parser, blank):
    assert parser(blank) is None


@pytest.mark.parametrize("blank", [None, "", "  ", "-"])
def test_blank_text_is_none(blank):
    assert v.parse_text(blank, max_length=10) is None


# --- sex --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("L", "L"), ("l", "L"), ("P", "P"), ("p", "P"), (" L ", "L"),
    ("Laki-laki", "L"), ("LAKI-LAKI", "L"), ("laki laki", "L"), ("Laki - Laki", "L"), ("lakilaki", "L"),
    ("Pria", "L"), ("PRIA", "L"), ("M", "L"), ("Male", "L"), ("male", "L"), ("1", "L"), (1, "L"), (1.0, "L"),
    ("Perempuan", "P"), ("PEREMPUAN", "P"), ("Wanita", "P"), ("F", "P"), ("Female", "P"), ("FEMALE", "P"),
    ("2", "P"), (2, "P"), ("02", "P"), ("Pr", "P"), ("Lk", "L"),
])
def test_sex(raw, expected):
    assert v.parse_sex(raw) == expected
    assert type(v.parse_sex(raw)) is str


@pytest.mark.parametrize("raw", ["X", "3", 3, "LP", "Laki-laki/Perempuan", 0])
def test_sex_rejected(raw):
    assert problem_code(v.parse_sex, raw) == "sex_invalid"


def test_rejection_lists_the_accepted_values():
    with pytest.raises(ValueProblem) as info:
        v.parse_sex("X")
    assert "“X”" in info.value.message
    assert "1 Laki-laki" in info.value.message and "2 Perempuan" in info.value.message


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("1980-08-17", (1980, 8, 17)),
    ("17-08-1980", (1980, 8, 17)),
    ("17/08/1980", (1980, 8, 17)),
    ("17.08.1980", (1980, 8, 17)),
    ("7/8/1980", (1980, 8, 7)),
    ("7-8-1980", (1980, 8, 7)),
    ("07/8/1980", (1980, 8, 7)),
    ("1980/08/17", (1980, 8, 17)),
    ("1980-8-7", (1980, 8, 7)),
    (" 17/08/1980 ", (1980, 8, 17)),
    ("17 Mei 1980", (1980, 5, 17)),
    ("17 MEI 1980", (1980, 5, 17)),
    ("17 Agustus 1980", (1980, 8, 17)),
    ("17-Agu-1980", (1980, 8, 17)),
    ("17 Agt 1980", (1980, 8, 17)),
    ("1 Jan 2001", (2001, 1, 1)),
    ("28 Feb 1999", (1999, 2, 28)),
    ("29 Februari 2000", (2000, 2, 29)),
    ("3 Pebruari 1975", (1975, 2, 3)),
    ("31 Mar 1990", (1990, 3, 31)),
    ("30 Apr 1990", (1990, 4, 30)),
    ("5 Jun 1990", (1990, 6, 5)),
    ("5 Jul 1990", (1990, 7, 5)),
    ("5 Sep 1990", (1990, 9, 5)),
    ("5 Okt 1990", (1990, 10, 5)),
    ("5 Nov 1990", (1990, 11, 5)),
    ("5 Nopember 1990", (1990, 11, 5)),
    ("25 Des 1990", (1990, 12, 25)),
    ("25 Desember 1990", (1990, 12, 25)),
    ("17-May-1980", (1980, 5, 17)),  # Excel with English regional settings
    ("17 Oct 1980", (1980, 10, 17)),
    ("1980-08-17 00:00:00", (1980, 8, 17)),
    ("1980-08-17T00:00:00", (1980, 8, 17)),
    ("17/08/1980 0:00", (1980, 8, 17)),
    (datetime.date(1980, 8, 17), (1980, 8, 17)),
    (datetime.datetime(1980, 8, 17, 0, 0), (1980, 8, 17)),
    (29450, (1980, 8, 17)),  # Excel serial number of a numeric cell
    (29450.0, (1980, 8, 17)),
    (29450.75, (1980, 8, 17)),  # a date with a time of day
    (61, (1900, 3, 1)),
    (45839, (2025, 7, 1)),
])
def test_dates_accepted(raw, expected):
    assert v.parse_date(raw, today=datetime.date(2025, 7, 1)) == datetime.date(*expected)


@pytest.mark.parametrize(("raw", "code"), [
    ("31/02/1990", "date_impossible"),
    ("31-02-1990", "date_impossible"),
    ("1990-02-31", "date_impossible"),
    ("29/02/1990", "date_impossible"),
    ("32/01/1990", "date_impossible"),
    ("00/01/1990", "date_impossible"),
    ("31 Juni 1990", "date_impossible"),
    ("05/17/1980", "date_month"),  # MM/DD is never guessed
    ("17/13/1980", "date_month"),
    ("1980-13-01", "date_month"),
    ("17/08/80", "date_two_digit_year"),
    ("17-Agu-80", "date_two_digit_year"),
    ("1/1/01", "date_two_digit_year"),
    ("17 Agustusan 1980", "date_format"),
    ("17081980", "date_format"),
    ("1980", "date_format"),
    ("kemarin", "date_format"),
    ("17/08/1980/1", "date_format"),
    ("1980 Agustus 17", "date_format"),
    ("17/08/198O", "date_format"),  # letter O
    ("2030-01-01", "date_future"),
    ("01/07/2025", "date_future"),
    ("1899-12-31", "date_too_early"),
    ("31/12/1899", "date_too_early"),
    (1980, "date_year_only"),
    (1980.0, "date_year_only"),
    (60, "date_too_early"),
    (0, "date_too_early"),
    (-5, "date_too_early"),
    (float("nan"), "date_format"),
    (99999999, "date_format"),
    (True, "date_format"),
    (datetime.time(10, 0), "date_format"),
])
def test_dates_rejected(raw, code):
    assert problem_code(v.parse_date, raw, today=TODAY) == code


def test_rejected_month_says_that_day_comes_first():
    with pytest.raises(ValueProblem) as info:
        v.parse_date("05/17/1980", today=TODAY)
    assert "no month 17" in info.value.message
    assert "DD/MM/YYYY" in info.value.message


def test_future_date_uses_the_real_today_by_default():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert problem_code(v.parse_date, tomorrow.isoformat()) == "date_future"
    assert problem_code(v.parse_date, tomorrow.strftime("%d/%m/%Y")) == "date_future"
    assert v.parse_date(datetime.date.today().isoformat()) == datetime.date.today()


def test_remembered_spellings_are_still_checked_every_time():
    for _ in range(3):  # the slow path remembers "1 Jan 2030", the range check still runs
        assert problem_code(v.parse_date, "1 Jan 2030", today=TODAY) == "date_future"
        assert v.parse_date("1 Jan 2020", today=TODAY) == datetime.date(2020, 1, 1)
        assert problem_code(v.parse_date, "1 Jan 2020", today=datetime.date(2019, 1, 1)) == "date_future"
        assert v.parse_education("SLTA / SEDERAJAT") == c.Education.SENIOR_SECONDARY
        assert problem_code(v.parse_education, "SLTA / SEDERAJATX") == "education_invalid"
        assert v.parse_rt_rw("RT 03") == "003"
        assert problem_code(v.parse_rt_rw, "RT 0") == "rt_rw_invalid"


def test_ambiguous_looking_dates_are_read_day_first():
    assert v.parse_date("05/06/1980", today=TODAY) == datetime.date(1980, 6, 5)
    assert v.parse_date("12/01/1980", today=TODAY) == datetime.date(1980, 1, 12)


# --- relationship, education, marital status -------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("Kepala Keluarga", c.Relationship.HEAD), ("KEPALA KELUARGA", c.Relationship.HEAD),
    ("kepala keluarga", c.Relationship.HEAD), ("KK", c.Relationship.HEAD), ("Kepala", c.Relationship.HEAD),
    ("Suami", c.Relationship.HUSBAND), ("Istri", c.Relationship.WIFE), ("ISTERI", c.Relationship.WIFE),
    ("Anak", c.Relationship.CHILD), ("Anak Kandung", c.Relationship.CHILD), ("Anak Angkat", c.Relationship.CHILD),
    ("Anak Tiri", c.Relationship.CHILD), ("anak  kandung", c.Relationship.CHILD),
    ("Menantu", c.Relationship.CHILD_IN_LAW), ("Cucu", c.Relationship.GRANDCHILD),
    ("Orang Tua", c.Relationship.PARENT), ("Orangtua", c.Relationship.PARENT), ("Ayah", c.Relationship.PARENT),
    ("Ibu", c.Relationship.PARENT), ("Mertua", c.Relationship.PARENT_IN_LAW),
    ("Famili Lain", c.Relationship.OTHER_RELATIVE), ("Famili", c.Relationship.OTHER_RELATIVE),
    ("Saudara", c.Relationship.OTHER_RELATIVE), ("Pembantu", c.Relationship.HOUSEHOLD_HELPER),
    ("Lainnya", c.Relationship.OTHER), ("Lain-lain", c.Relationship.OTHER),
    ("1", c.Relationship.HEAD), ("01", c.Relationship.HEAD), (1, c.Relationship.HEAD),
    (4.0, c.Relationship.CHILD), ("10", c.Relationship.HOUSEHOLD_HELPER), ("11", c.Relationship.OTHER),
])
def test_relationship(raw, expected):
    assert v.parse_relationship(raw) == expected


@pytest.mark.parametrize("raw", ["0", "12", "Tetangga", 12, "Kepala Desa", "-1", -1, 2.5, "1/2", True])
def test_relationship_rejected(raw):
    assert problem_code(v.parse_relationship, raw) == "relationship_invalid"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Tidak/Belum Sekolah", c.Education.NONE), ("TIDAK/BELUM SEKOLAH", c.Education.NONE),
    ("Tidak / Belum Sekolah", c.Education.NONE), ("Tidak Sekolah", c.Education.NONE),
    ("Belum Tamat SD/Sederajat", c.Education.PRIMARY_INCOMPLETE),
    ("BELUM TAMAT SD/SEDERAJAT", c.Education.PRIMARY_INCOMPLETE),
    ("Tamat SD/Sederajat", c.Education.PRIMARY), ("SD", c.Education.PRIMARY), ("sd", c.Education.PRIMARY),
    ("SLTP/Sederajat", c.Education.JUNIOR_SECONDARY), ("SMP", c.Education.JUNIOR_SECONDARY),
    ("SLTA/Sederajat", c.Education.SENIOR_SECONDARY), ("SMA", c.Education.SENIOR_SECONDARY),
    ("SMK", c.Education.SENIOR_SECONDARY),
    ("Diploma I/II", c.Education.DIPLOMA_I_II), ("DIPLOMA I/II", c.Education.DIPLOMA_I_II),
    ("D1", c.Education.DIPLOMA_I_II), ("D2", c.Education.DIPLOMA_I_II), ("D-1", c.Education.DIPLOMA_I_II),
    ("Akademi/Diploma III/Sarjana Muda", c.Education.DIPLOMA_III),
    ("AKADEMI/DIPLOMA III/S. MUDA", c.Education.DIPLOMA_III), ("D3", c.Education.DIPLOMA_III),
    ("Diploma III", c.Education.DIPLOMA_III),
    ("Diploma IV/Strata I", c.Education.BACHELOR), ("DIPLOMA IV/STRATA I", c.Education.BACHELOR),
    ("S1", c.Education.BACHELOR), ("S-1", c.Education.BACHELOR), ("s 1", c.Education.BACHELOR),
    ("D4", c.Education.BACHELOR),
    ("Strata II", c.Education.MASTER), ("S2", c.Education.MASTER), ("STRATA II", c.Education.MASTER),
    ("Strata III", c.Education.DOCTORATE), ("S3", c.Education.DOCTORATE),
    ("1", c.Education.NONE), ("5", c.Education.SENIOR_SECONDARY), (8, c.Education.BACHELOR),
    ("10", c.Education.DOCTORATE), ("07", c.Education.DIPLOMA_III),
])
def test_education(raw, expected):
    assert v.parse_education(raw) == expected


@pytest.mark.parametrize("raw", ["11", "0", "S4", "Kuliah", "DiplomaIII"])
def test_education_rejected(raw):
    assert problem_code(v.parse_education, raw) == "education_invalid"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Belum Kawin", c.MaritalStatus.SINGLE), ("BELUM KAWIN", c.MaritalStatus.SINGLE),
    ("Kawin", c.MaritalStatus.MARRIED), ("KAWIN", c.MaritalStatus.MARRIED),
    ("Kawin Tercatat", c.MaritalStatus.MARRIED), ("KAWIN BELUM TERCATAT", c.MaritalStatus.MARRIED),
    ("Cerai Hidup", c.MaritalStatus.DIVORCED), ("CERAI MATI", c.MaritalStatus.WIDOWED),
    ("1", c.MaritalStatus.SINGLE), ("2", c.MaritalStatus.MARRIED), ("3", c.MaritalStatus.DIVORCED),
    (4, c.MaritalStatus.WIDOWED),
])
def test_marital_status(raw, expected):
    assert v.parse_marital_status(raw) == expected


@pytest.mark.parametrize("raw", ["5", "Cerai", "Janda"])
def test_marital_status_rejected(raw):
    assert problem_code(v.parse_marital_status, raw) == "marital_status_invalid"


@pytest.mark.parametrize(("parser", "raw", "expected"), [
    (v.parse_employment_status, "Bekerja", c.EmploymentStatus.WORKING),
    (v.parse_employment_status, "Mencari Kerja", c.EmploymentStatus.UNEMPLOYED),
    (v.parse_employment_status, "Pelajar/Mahasiswa", c.EmploymentStatus.IN_SCHOOL),
    (v.parse_employment_status, "Mengurus Rumah Tangga", c.EmploymentStatus.HOUSEKEEPING),
    (v.parse_employment_status, "Tidak Bekerja", c.EmploymentStatus.NOT_WORKING),
    (v.parse_employment_status, "working", c.EmploymentStatus.WORKING),
    (v.parse_employment_status, "2", c.EmploymentStatus.UNEMPLOYED),
    (v.parse_disability, "Tidak Ada", c.Disability.NONE),
    (v.parse_disability, "Tuna Netra", c.Disability.SENSORY),
    (v.parse_disability, "tunarungu", c.Disability.SENSORY),
    (v.parse_disability, "Fisik", c.Disability.PHYSICAL),
    (v.parse_disability, "Tuna Grahita", c.Disability.INTELLECTUAL),
    (v.parse_disability, "Psikososial", c.Disability.MENTAL),
    (v.parse_disability, "Ganda", c.Disability.MULTIPLE),
    (v.parse_jkn_status, "PBI APBN", c.JknStatus.PBI_NATIONAL),
    (v.parse_jkn_status, "PBI", c.JknStatus.PBI_NATIONAL),
    (v.parse_jkn_status, "PBI Daerah", c.JknStatus.PBI_DAERAH),
    (v.parse_jkn_status, "pbi apbd", c.JknStatus.PBI_DAERAH),
    (v.parse_jkn_status, "Mandiri", c.JknStatus.PAID),
    (v.parse_jkn_status, "Non-PBI", c.JknStatus.PAID),
    (v.parse_jkn_status, "Tidak Punya", c.JknStatus.NONE),
])
def test_optional_person_code_lists(parser, raw, expected):
    assert parser(raw) == expected


# --- survey code lists ------------------------------------------------------------------------

@pytest.mark.parametrize(("parser", "raw", "expected"), [
    (v.parse_floor_material, "Marmer/Granit", c.FloorMaterial.MARBLE),
    (v.parse_floor_material, "Granit", c.FloorMaterial.MARBLE),
    (v.parse_floor_material, "Keramik", c.FloorMaterial.CERAMIC),
    (v.parse_floor_material, "KERAMIK", c.FloorMaterial.CERAMIC),
    (v.parse_floor_material, "Parket/Vinil/Karpet", c.FloorMaterial.PARQUET),
    (v.parse_floor_material, "Karpet", c.FloorMaterial.PARQUET),
    (v.parse_floor_material, "Ubin/Tegel/Teraso", c.FloorMaterial.TILE),
    (v.parse_floor_material, "tegel", c.FloorMaterial.TILE),
    (v.parse_floor_material, "Kayu/Papan", c.FloorMaterial.WOOD),
    (v.parse_floor_material, "Semen/Bata Merah", c.FloorMaterial.CEMENT),
    (v.parse_floor_material, "Semen", c.FloorMaterial.CEMENT),
    (v.parse_floor_material, "Bambu", c.FloorMaterial.BAMBOO),
    (v.parse_floor_material, "Tanah", c.FloorMaterial.EARTH),
    (v.parse_floor_material, "Lainnya", c.FloorMaterial.OTHER),
    (v.parse_floor_material, "2", c.FloorMaterial.CERAMIC),
    (v.parse_floor_material, "ceramic", c.FloorMaterial.CERAMIC),
    (v.parse_wall_material, "Tembok", c.WallMaterial.MASONRY),
    (v.parse_wall_material, "Plesteran Anyaman Bambu/Kawat", c.WallMaterial.PLASTERED_BAMBOO),
    (v.parse_wall_material, "Anyaman Bambu", c.WallMaterial.WOVEN_BAMBOO),
    (v.parse_wall_material, "Bilik", c.WallMaterial.WOVEN_BAMBOO),
    (v.parse_wall_material, "Batang Kayu", c.WallMaterial.LOGS),
    (v.parse_wall_material, "Bambu", c.WallMaterial.BAMBOO),
    (v.parse_wall_material, "Kayu", c.WallMaterial.WOOD),
    (v.parse_roof_material, "Beton", c.RoofMaterial.CONCRETE),
    (v.parse_roof_material, "Genteng", c.RoofMaterial.ROOF_TILE),
    (v.parse_roof_material, "Seng", c.RoofMaterial.ZINC),
    (v.parse_roof_material, "Asbes", c.RoofMaterial.ASBESTOS),
    (v.parse_roof_material, "Kayu/Sirap", c.RoofMaterial.WOOD_SHINGLE),
    (v.parse_roof_material, "Jerami/Ijuk/Daun-daunan/Rumbia", c.RoofMaterial.THATCH),
    (v.parse_roof_material, "Ijuk", c.RoofMaterial.THATCH),
    (v.parse_drinking_water, "Air Kemasan Bermerk", c.DrinkingWater.BOTTLED),
    (v.parse_drinking_water, "Air Isi Ulang", c.DrinkingWater.REFILL),
    (v.parse_drinking_water, "Leding", c.DrinkingWater.PIPED),
    (v.parse_drinking_water, "PDAM", c.DrinkingWater.PIPED),
    (v.parse_drinking_water, "Sumur Bor/Pompa", c.DrinkingWater.BOREHOLE),
    (v.parse_drinking_water, "Sumur Terlindung", c.DrinkingWater.PROTECTED_WELL),
    (v.parse_drinking_water, "Sumur Tak Terlindung", c.DrinkingWater.UNPROTECTED_WELL),
    (v.parse_drinking_water, "Mata Air Terlindung", c.DrinkingWater.PROTECTED_SPRING),
    (v.parse_drinking_water, "Mata Air Tidak Terlindung", c.DrinkingWater.UNPROTECTED_SPRING),
    (v.parse_drinking_water, "Sungai/Danau/Waduk", c.DrinkingWater.SURFACE),
    (v.parse_drinking_water, "Air Hujan", c.DrinkingWater.RAIN),
    (v.parse_toilet, "Sendiri dengan Tangki Septik", c.Toilet.OWN_SEPTIC),
    (v.parse_toilet, "Sendiri dengan Septic Tank", c.Toilet.OWN_SEPTIC),
    (v.parse_toilet, "Sendiri tanpa Tangki Septik", c.Toilet.OWN_NO_SEPTIC),
    (v.parse_toilet, "Bersama", c.Toilet.SHARED),
    (v.parse_toilet, "MCK Umum", c.Toilet.PUBLIC),
    (v.parse_toilet, "Tidak Ada", c.Toilet.NONE),
    (v.parse_lighting, "Listrik PLN dengan Meteran", c.Lighting.PLN_METERED),
    (v.parse_lighting, "PLN tanpa Meteran", c.Lighting.PLN_SHARED),
    (v.parse_lighting, "Listrik Non-PLN", c.Lighting.NON_PLN),
    (v.parse_lighting, "Bukan Listrik", c.Lighting.NONE),
    (v.parse_cooking_fuel, "Listrik", c.CookingFuel.ELECTRICITY),
    (v.parse_cooking_fuel, "LPG 5,5 kg atau Lebih", c.CookingFuel.LPG_LARGE),
    (v.parse_cooking_fuel, "LPG 12 kg", c.CookingFuel.LPG_LARGE),
    (v.parse_cooking_fuel, "LPG 3 kg", c.CookingFuel.LPG_3KG),
    (v.parse_cooking_fuel, "Elpiji 3 Kg", c.CookingFuel.LPG_3KG),
    (v.parse_cooking_fuel, "Gas Kota/Biogas", c.CookingFuel.CITY_GAS),
    (v.parse_cooking_fuel, "Minyak Tanah", c.CookingFuel.KEROSENE),
    (v.parse_cooking_fuel, "Arang/Briket", c.CookingFuel.CHARCOAL),
    (v.parse_cooking_fuel, "Kayu Bakar", c.CookingFuel.FIREWOOD),
    (v.parse_cooking_fuel, "Tidak Memasak", c.CookingFuel.NONE),
    (v.parse_home_ownership, "Milik Sendiri", c.HomeOwnership.OWN),
    (v.parse_home_ownership, "Kontrak/Sewa", c.HomeOwnership.RENT),
    (v.parse_home_ownership, "Bebas Sewa", c.HomeOwnership.RENT_FREE),
    (v.parse_home_ownership, "Dinas", c.HomeOwnership.OFFICIAL),
    (v.parse_home_ownership, "Lainnya", c.HomeOwnership.OTHER),
])
def test_survey_code_lists(parser, raw, expected):
    assert parser(raw) == expected


@pytest.mark.parametrize(("parser", "raw"), [
    (v.parse_floor_material, "Emas"), (v.parse_floor_material, "10"), (v.parse_wall_material, "Kaca"),
    (v.parse_roof_material, "Plastik"), (v.parse_drinking_water, "Sumur"), (v.parse_toilet, "Sendiri"),
    (v.parse_lighting, "PLN"), (v.parse_cooking_fuel, "Gas"), (v.parse_home_ownership, "Hotel"),
])
def test_survey_code_lists_rejected(parser, raw):
    assert problem_code(parser, raw) == f"{parser.name}_invalid"


VOCABULARIES = [
    (v.parse_sex, c.Sex), (v.parse_relationship, c.Relationship), (v.parse_marital_status, c.MaritalStatus),
    (v.parse_education, c.Education), (v.parse_employment_status, c.EmploymentStatus),
    (v.parse_disability, c.Disability), (v.parse_jkn_status, c.JknStatus),
    (v.parse_floor_material, c.FloorMaterial), (v.parse_wall_material, c.WallMaterial),
    (v.parse_roof_material, c.RoofMaterial), (v.parse_drinking_water, c.DrinkingWater), (v.parse_toilet, c.Toilet),
    (v.parse_lighting, c.Lighting), (v.parse_cooking_fuel, c.CookingFuel), (v.parse_home_ownership, c.HomeOwnership),
]


@pytest.mark.parametrize(("parser", "choices"), VOCABULARIES, ids=lambda x: getattr(x, "name", None))
def test_every_choice_has_spellings_and_every_spelling_maps_back(parser, choices):
    assert set(parser.spellings) == set(choices.values)
    for value, words in parser.spellings.items():
        for word in words:
            for form in (word, word.upper(), word.lower(), f"  {word} "):
                assert parser(form) == value, form
        assert parser(value) == value  # the stored value itself re-imports
    for code, value in parser.codes.items():
        assert parser(str(code)) == value
        assert parser(code) == value


def test_vocabulary_refuses_a_spelling_listed_twice():
    with pytest.raises(ValueError, match="listed for two values"):
        vocabulary.Vocabulary("x", "x", {"a": ("Sama",), "b": ("sama",)})


@pytest.mark.parametrize(("raw", "expected"), [
    ("Ya", True), ("YA", True), ("ya", True), ("Y", True), ("1", True), ("Ada", True), ("true", True),
    ("TRUE", True), (True, True), (1, True), (1.0, True), (2, True), ("Yes", True), ("Punya", True),
    ("Tidak", False), ("TIDAK", False), ("T", False), ("0", False), ("Tidak Ada", False), ("false", False),
    ("False", False), (False, False), (0, False), (0.0, False), ("No", False), ("tidak punya", False),
])
def test_booleans(raw, expected):
    assert v.parse_bool(raw) is expected


@pytest.mark.parametrize("raw", ["Mungkin", "2x", -1, 0.5, "Ya/Tidak"])
def test_booleans_rejected(raw):
    assert problem_code(v.parse_bool, raw) == "bool_invalid"


# --- numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("36", 36), (36, 36), (36.0, 36), ("36,5", 37), ("36.4", 36), (36.5, 37), ("1.250", 1250),
    ("36 m2", 36), ("36m²", 36), ("120 M2", 120), (" 45 ", 45), ("0", 0),
])
def test_floor_area(raw, expected):
    assert v.parse_area(raw) == expected


@pytest.mark.parametrize(("raw", "code"), [("luas", "number_invalid"), ("-5", "number_invalid"),
                                           (-5, "number_range"), ("1.2.3", "number_invalid")])
def test_floor_area_rejected(raw, code):
    assert problem_code(v.parse_area, raw) == code


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("3", 3), (3, 3), (3.0, 3), ("12", 12), ("1.000", 1000)])
def test_counts(raw, expected):
    assert v.parse_count(raw) == expected


@pytest.mark.parametrize(("raw", "code"), [("tiga", "number_invalid"), ("40000", "number_range"),
                                           (-1, "number_range")])
def test_counts_rejected(raw, code):
    assert problem_code(v.parse_count, raw) == code


@pytest.mark.parametrize(("raw", "expected"), [
    ("450", 450), (450, 450), (450.0, 450), ("450 VA", 450), ("450VA", 450), ("900", 900), ("1300", 1300),
    ("1.300", 1300), ("1.300 VA", 1300), ("2200", 2200), ("2.200 VA", 2200), (">2200", 3500), ("> 2.200 VA", 3500),
    ("Lebih dari 2200", 3500), ("3500", 3500), (5500, 3500), ("4.400", 3500), ("0", 0), ("Tidak Ada", 0),
])
def test_installed_power(raw, expected):
    assert v.parse_installed_power(raw) == expected


@pytest.mark.parametrize("raw", ["1000", 1000, "banyak", 1300.5, "-450"])
def test_installed_power_rejected(raw):
    assert problem_code(v.parse_installed_power, raw) == "power_invalid"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Rp1.250.000", 1_250_000), ("Rp 1.250.000", 1_250_000), ("rp. 1.250.000,-", 1_250_000),
    ("1250000", 1_250_000), ("1.250.000", 1_250_000), ("1.250.000,00", 1_250_000), ("1,250,000", 1_250_000),
    ("1250000.00", 1_250_000), ("IDR 322.170", 322_170), ("Rp322.170,50", 322_171), (1250000, 1_250_000),
    (1250000.0, 1_250_000), (322170.4, 322_170), ("0", 0), ("500", 500),
])
def test_rupiah(raw, expected):
    assert v.parse_rupiah(raw) == expected


@pytest.mark.parametrize("raw", ["Rp1.25.000", "satu juta", "1.250.000,00,00", "1,250.000", -5, "12-000",
                                 "Rp3.000.000.000", 3e9, float("nan"), True])
def test_rupiah_rejected(raw):
    assert problem_code(v.parse_rupiah, raw) == "rupiah_invalid"


# --- codes and text ---------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("3201011001", "3201011001"), ("32.01.01.1001", "3201011001"), (" 32.01.01.2001 ", "3201012001"),
    (3201012001, "3201012001"), (3201012001.0, "3201012001"),
])
def test_desa_code(raw, expected):
    assert v.parse_desa_code(raw) == expected


@pytest.mark.parametrize("raw", ["320101", "32.01.01", "32-01-01-2001", "32010120011", "abc", "32.01.01.20O1"])
def test_desa_code_rejected(raw):
    assert problem_code(v.parse_desa_code, raw) == "desa_code_invalid"


@pytest.mark.parametrize(("raw", "expected"), [
    ("3", "003"), ("03", "003"), ("003", "003"), (3, "003"), (3.0, "003"), ("RT 03", "003"), ("rt.3", "003"),
    ("RW 005", "005"), ("RW:12", "012"), (" 7 ", "007"), ("999", "999"), ("010", "010"),
])
def test_rt_rw(raw, expected):
    assert v.parse_rt_rw(raw) == expected


@pytest.mark.parametrize("raw", ["0", "000", "1000", "3a", "RT", "03/05", 3.5, -1])
def test_rt_rw_rejected(raw):
    assert problem_code(v.parse_rt_rw, raw) == "rt_rw_invalid"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Dede Ma'mun", "Dede Ma'mun"), ("  Siti   Ñuraeni ", "Siti Ñuraeni"), ("Iyép\u00a0Saepudin", "Iyép Saepudin"),
    ("Budi\tSantoso", "Budi Santoso"), ("Budi\nSantoso", "Budi Santoso"), (12345, "12345"), (12.0, "12"),
])
def test_text(raw, expected):
    assert v.parse_text(raw, max_length=120) == expected


def test_text_too_long():
    assert v.parse_text("a" * 10, max_length=10) == "a" * 10
    assert problem_code(v.parse_text, "a" * 11, max_length=10) == "text_too_long"


@pytest.mark.parametrize(("raw", "expected"), [
    ("081234567890", "081234567890"), ("0812-3456-7890", "081234567890"), ("+62 812 3456 7890", "+6281234567890"),
    ("(0251) 8765432", "02518765432"), (81234567890, "081234567890"), (6281234567890, "6281234567890"),
])
def test_phone(raw, expected):
    assert v.parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "telepon", "0812345678901234567", "+62 812 ABC"])
def test_phone_rejected(raw):
    assert problem_code(v.parse_phone, raw) == "phone_invalid"
