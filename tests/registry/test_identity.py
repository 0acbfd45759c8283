import datetime

import pytest
from django.utils import translation

from sejahtera.registry.identity import (
    Issue,
    issues_as_json,
    mask_nik,
    nik_for_birth,
    no_kk_for_issue,
    validate_nik,
    validate_no_kk,
)

TODAY = datetime.date(2025, 6, 15)
KNOWN = frozenset({"320101", "320102", "327101"})
D = datetime.date


def codes(issues):
    return [issue.code for issue in issues]


# --- NIK format -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "code"), [
    ("320101120590001", "nik_length"),  # 15 digits
    ("32010112059000123", "nik_length"),  # 17 digits
    ("", "nik_length"),
    ("32010112059O0012", "nik_not_digits"),  # letter O for zero
    ("3201 0112 0590 0012", "nik_not_digits"),
    ("32.01.01.120590.0012", "nik_not_digits"),
    ("320101-120590-0012", "nik_not_digits"),
    ("320101120590001²", "nik_not_digits"),  # a Unicode digit is not an ASCII digit
    ("3.20101E+15", "nik_scientific"),
    ("3,20101E+15", "nik_scientific"),
    ("3.20101e15", "nik_scientific"),
])
def test_nik_format_errors(value, code):
    result = validate_nik(value, today=TODAY)
    assert codes(result.errors) == [code]
    assert not result.ok
    assert result.date is None and result.sex is None and result.kecamatan_code is None


def test_scientific_message_explains_excel_and_text_format():
    with translation.override("en"):
        result = validate_nik("3.20101E+15", today=TODAY)
    message = result.errors[0].message
    assert "Excel" in message and "Text" in message and "3.20101E+15" in message


def test_surrounding_whitespace_is_stripped_but_nothing_else_repaired():
    result = validate_nik("  3201011205900012\t\n", today=TODAY)
    assert result.ok and result.value == "3201011205900012"
    assert codes(validate_nik("3201011205900012.", today=TODAY).errors) == ["nik_not_digits"]


def test_valid_male_nik_decodes_fields():
    result = validate_nik("3201011205900012", known_kecamatan=KNOWN, today=TODAY)
    assert result.ok and result.warnings == []
    assert result.sex == "L"
    assert result.date == D(1990, 5, 12)
    assert result.kecamatan_code == "320101"


@pytest.mark.parametrize(("digits", "expected"), [
    ("410190", D(1990, 1, 1)),  # day 41 = 1st
    ("710190", D(1990, 1, 31)),  # day 71 = 31st
    ("680290", D(1990, 2, 28)),
])
def test_female_day_plus_40(digits, expected):
    result = validate_nik(f"320101{digits}0003", today=TODAY)
    assert result.ok
    assert result.sex == "P"
    assert result.date == expected


@pytest.mark.parametrize("digits", [
    "000190",  # day 0
    "320190",  # day 32
    "400190",  # day 40
    "720190",  # day 72 (female 32)
    "990190",
    "150090",  # month 0
    "151390",  # month 13
    "300290",  # 30 February
    "310290",  # 31 February
    "690290",  # female 29 February 1990
    "700290",  # female 30 February
    "290201",  # 29 February 2001
    "310490",  # 31 April
])
def test_nik_impossible_dates(digits):
    result = validate_nik(f"320101{digits}0003", today=TODAY)
    assert codes(result.errors) == ["nik_date"]
    assert result.date is None


@pytest.mark.parametrize(("digits", "expected"), [
    ("290296", D(1996, 2, 29)),
    ("690296", D(1996, 2, 29)),
    ("290200", D(2000, 2, 29)),
    ("290204", D(2004, 2, 29)),
])
def test_nik_29_february_in_leap_years(digits, expected):
    result = validate_nik(f"320101{digits}0003", today=TODAY)
    assert result.ok and result.date == expected


def test_29_february_00_falls_back_to_2000_when_recorded_century_is_1900():
    # 1900 was not a leap year; the NIK is still a real date in 2000, so accept it there
    # and flag the recorded date instead.
    result = validate_nik("3201012902000003", birth_date=D(1900, 3, 1), today=TODAY)
    assert result.ok
    assert result.date == D(2000, 2, 29)
    assert codes(result.warnings) == ["nik_birth_date_mismatch"]


@pytest.mark.parametrize(("digits", "recorded"), [
    ("280200", D(1900, 2, 28)),  # 28 February exists in 1900: keep the recorded century
    ("680200", D(1900, 2, 28)),
    ("290200", D(2000, 2, 29)),
])
def test_february_00_with_matching_recorded_date(digits, recorded):
    result = validate_nik(f"320101{digits}0003", birth_date=recorded, today=TODAY)
    assert result.ok and result.warnings == []
    assert result.date == recorded


@pytest.mark.parametrize(("yy", "recorded", "today", "expected_year"), [
    ("25", None, D(2025, 6, 15), 2025),  # YY equal to today's YY -> 20YY
    ("26", None, D(2025, 6, 15), 1926),
    ("00", None, D(2025, 6, 15), 2000),
    ("99", None, D(2025, 6, 15), 1999),
    ("20", D(1920, 1, 1), D(2025, 6, 15), 1920),  # recorded year decides the century
    ("10", D(1910, 7, 4), D(2025, 6, 15), 1910),
    ("30", D(2030, 1, 1), D(2025, 6, 15), 2030),
    ("90", D(1890, 1, 1), D(2025, 6, 15), 1890),
    ("20", D(1985, 1, 1), D(2025, 6, 15), 2020),  # YY differs from recorded: use today
])
def test_century_resolution(yy, recorded, today, expected_year):
    result = validate_nik(f"3201010101{yy}0003", birth_date=recorded, today=today)
    assert result.ok
    assert result.date == D(expected_year, 1, 1)


@pytest.mark.parametrize("value", [
    "0001011205900012",  # province 00
    "0901011205900012",  # starts with 0
    "1001011205900012",  # 10
])
def test_nik_province_error(value):
    result = validate_nik(value, known_kecamatan=KNOWN, today=TODAY)
    # the province error already says it all; no extra kecamatan warning
    assert codes(result.errors) == ["nik_province"]
    assert result.warnings == []


@pytest.mark.parametrize("province", ["11", "99"])
def test_nik_province_bounds_are_valid(province):
    assert validate_nik(f"{province}01011205900012", today=TODAY).ok


def test_nik_serial_0000_is_an_error():
    result = validate_nik("3201011205900000", today=TODAY)
    assert codes(result.errors) == ["nik_serial"]
    assert validate_nik("3201011205900001", today=TODAY).ok


def test_several_errors_are_reported_together():
    result = validate_nik("0001013205900000", today=TODAY)
    assert codes(result.errors) == ["nik_province", "nik_serial", "nik_date"]


@pytest.mark.parametrize(("known", "warnings"), [
    (KNOWN, ["nik_kecamatan_unknown"]),
    (frozenset(), ["nik_kecamatan_unknown"]),
    ({"329999"}, ["nik_kecamatan_unknown"]),
    (None, []),  # no check
    ({"320199"}, []),
])
def test_unknown_kecamatan_is_a_warning_not_an_error(known, warnings):
    result = validate_nik("3201991205900012", known_kecamatan=known, today=TODAY)
    assert result.ok
    assert codes(result.warnings) == warnings


@pytest.mark.parametrize(("value", "recorded_sex", "warnings"), [
    ("3201011205900012", "L", []),
    ("3201011205900012", "P", ["nik_sex_mismatch"]),
    ("3201015205900012", "P", []),
    ("3201015205900012", "L", ["nik_sex_mismatch"]),
    ("3201015205900012", None, []),
])
def test_sex_mismatch_is_a_warning(value, recorded_sex, warnings):
    result = validate_nik(value, sex=recorded_sex, today=TODAY)
    assert result.ok
    assert codes(result.warnings) == warnings


def test_unknown_sex_code_is_a_programming_error():
    with pytest.raises(ValueError):
        validate_nik("3201011205900012", sex="M", today=TODAY)


@pytest.mark.parametrize(("recorded", "warnings"), [
    (D(1990, 5, 12), []),
    (D(1990, 5, 13), ["nik_birth_date_mismatch"]),
    (D(1991, 5, 12), ["nik_birth_date_mismatch"]),
])
def test_birth_date_mismatch_is_a_warning(recorded, warnings):
    result = validate_nik("3201011205900012", birth_date=recorded, today=TODAY)
    assert result.ok
    assert codes(result.warnings) == warnings


def test_mismatch_message_names_both_dates():
    with translation.override("en"):
        result = validate_nik("3201011205900012", birth_date=D(1990, 5, 13), today=TODAY)
    assert "1990-05-12" in result.warnings[0].message
    assert "1990-05-13" in result.warnings[0].message


def test_all_warnings_together():
    result = validate_nik("3201991205900012", sex="P", birth_date=D(1990, 6, 12),
                          known_kecamatan=KNOWN, today=TODAY)
    assert result.ok
    assert codes(result.warnings) == [
        "nik_kecamatan_unknown", "nik_sex_mismatch", "nik_birth_date_mismatch"]


# --- No. KK -----------------------------------------------------------------------------

def test_valid_no_kk_decodes_fields():
    result = validate_no_kk("3201011503180004", known_kecamatan=KNOWN, today=TODAY)
    assert result.ok and result.warnings == []
    assert result.date == D(2018, 3, 15)
    assert result.kecamatan_code == "320101"
    assert result.sex is None


@pytest.mark.parametrize(("value", "code"), [
    ("320101150318000", "kk_length"),
    ("32010115031800045", "kk_length"),
    ("3201O11503180004", "kk_not_digits"),
    ("3201 011503180004", "kk_not_digits"),
    ("3.20101E+15", "kk_scientific"),
    ("3201014503180004", "kk_date"),  # no +40 in a KK
    ("3201010003180004", "kk_date"),
    ("3201012902190004", "kk_date"),
    ("3201011503180000", "kk_serial"),
    ("0001011503180004", "kk_province"),
])
def test_no_kk_errors(value, code):
    assert codes(validate_no_kk(value, today=TODAY).errors) == [code]


@pytest.mark.parametrize(("digits", "ok"), [
    ("150625", True),  # today
    ("160625", False),  # tomorrow
    ("010725", False),
    ("311224", True),
    ("010126", True),  # YY 26 > today's 25, so 1926: old but not future
])
def test_no_kk_future_issue_date(digits, ok):
    result = validate_no_kk(f"320101{digits}0004", today=TODAY)
    assert result.ok is ok
    assert codes(result.errors) == ([] if ok else ["kk_future_date"])


def test_no_kk_unknown_kecamatan_is_a_warning():
    result = validate_no_kk("3201991503180004", known_kecamatan=KNOWN, today=TODAY)
    assert result.ok
    assert codes(result.warnings) == ["kk_kecamatan_unknown"]


def test_no_kk_29_february_2000():
    assert validate_no_kk("3201012902000004", today=TODAY).date == D(2000, 2, 29)


# --- helpers ----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "masked"), [
    ("3201011234560001", "3201**********01"),
    (None, ""),
    ("", ""),
    ("1234567", "*******"),
    ("12345678", "1234**78"),
])
def test_mask_nik(value, masked):
    assert mask_nik(value) == masked


def test_issues_as_json():
    issues = [Issue("nik_serial", "bad serial"), Issue("nik_date", "bad date")]
    assert issues_as_json(issues) == [
        {"code": "nik_serial", "message": "bad serial"},
        {"code": "nik_date", "message": "bad date"},
    ]
    assert issues_as_json([]) == []


@pytest.mark.parametrize(("birth_date", "sex", "serial"), [
    (D(1990, 5, 12), "L", 1),
    (D(1990, 5, 12), "P", 9999),
    (D(1935, 1, 31), "P", 17),
    (D(2000, 2, 29), "P", 3),
    (D(1996, 2, 29), "L", 3),
    (D(2025, 6, 15), "L", 42),
])
def test_nik_for_birth_round_trip(birth_date, sex, serial):
    nik = nik_for_birth("320101", birth_date, sex, serial)
    assert len(nik) == 16 and nik.isdigit()
    result = validate_nik(nik, sex=sex, birth_date=birth_date, known_kecamatan=KNOWN,
                          today=TODAY)
    assert result.errors == [] and result.warnings == []
    assert (result.sex, result.date, result.kecamatan_code) == (sex, birth_date, "320101")


def test_nik_for_birth_female_day():
    assert nik_for_birth("320101", D(1990, 1, 1), "P", 5) == "3201014101900005"


def test_no_kk_for_issue_round_trip():
    no_kk = no_kk_for_issue("327101", D(2018, 3, 15), 4)
    assert no_kk == "3271011503180004"
    result = validate_no_kk(no_kk, known_kecamatan=KNOWN, today=TODAY)
    assert result.errors == [] and result.warnings == []
    assert result.date == D(2018, 3, 15)


@pytest.mark.parametrize(("kecamatan", "sex", "serial"), [
    ("32010", "L", 1),
    ("3201011", "L", 1),
    ("32.01.", "L", 1),
    ("000101", "L", 1),
    ("320101", "X", 1),
    ("320101", "L", 0),
    ("320101", "L", 10000),
])
def test_nik_for_birth_rejects_bad_input(kecamatan, sex, serial):
    with pytest.raises(ValueError):
        nik_for_birth(kecamatan, D(1990, 1, 1), sex, serial)


def test_no_kk_for_issue_rejects_bad_serial():
    with pytest.raises(ValueError):
        no_kk_for_issue("320101", D(2018, 1, 1), 0)
