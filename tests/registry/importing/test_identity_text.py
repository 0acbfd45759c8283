"""NIK and No. KK cells: what is cleaned, what is left for validation, and numbers that lost digits."""

import datetime

import pytest

from sejahtera.registry.identity import Issue, validate_nik, validate_no_kk
from sejahtera.registry.importing.values import ValueProblem, identity_text

NIK = "3201011705800001"  # male, born 17-05-1980
KK = "3201011705800002"
TODAY = datetime.date(2025, 6, 30)


@pytest.mark.parametrize("raw", [
    NIK, f" {NIK} ", f"'{NIK}", f" '{NIK}", "3201 0117 0580 0001", "3201\u00a00117\u00a00580\u00a00001",
    "320101 170580 0001", f"{NIK}\u00a0", "'3201 0117 0580 0001",
])
def test_text_cells_are_cleaned_of_spaces_and_excel_apostrophe(raw):
    text, warning = identity_text(raw, column="nik")
    assert (text, warning) == (NIK, None)
    assert validate_nik(text, today=TODAY).ok


@pytest.mark.parametrize("raw", [
    "3201.0117.0580.0001", "3201-0117-0580-0001", "320101170580000l", "NIK3201011705800001", "32010117058000011",
    "320101170580001", "3201011705800001.0",
])
def test_nothing_else_is_repaired_and_validation_refuses_it(raw):
    text, warning = identity_text(raw, column="nik")
    assert text == raw
    assert warning is None
    result = validate_nik(text, today=TODAY)
    assert not result.ok


@pytest.mark.parametrize("blank", [None, "", "   ", "-", "'", "\u00a0"])
def test_blank_cells_give_empty_text(blank):
    assert identity_text(blank, column="nik") == ("", None)


@pytest.mark.parametrize("raw", ["3.20101E+15", "3,20101E+15", "3.20101e+15", "3.20101E15", "3E+15", "'3.20101E+15",
                                 " 3.20101E+15 ", "3.201011705800001E+15"])
@pytest.mark.parametrize(("column", "code"), [("nik", "nik_scientific"), ("no_kk", "kk_scientific")])
def test_scientific_notation_is_refused_with_how_to_fix(raw, column, code):
    with pytest.raises(ValueProblem) as info:
        identity_text(raw, column=column)
    assert info.value.code == code
    assert "scientific notation" in info.value.message
    assert "Format the column as Text" in info.value.message
    assert "15 digits" in info.value.message
    assert ("No. KK" if column == "no_kk" else "NIK") in info.value.message


@pytest.mark.parametrize("raw", ["E3201011705800001", "3201011705800001e", "3201011705e00001", "e+15"])
def test_letters_e_that_are_not_scientific_notation_go_to_validation(raw):
    text, warning = identity_text(raw, column="nik")
    assert text == raw and warning is None
    assert not validate_nik(text, today=TODAY).ok


@pytest.mark.parametrize("raw", [3201011705800001, 3201011705800001.0])
@pytest.mark.parametrize(("column", "code"), [("nik", "nik_numeric_cell"), ("no_kk", "kk_numeric_cell")])
def test_complete_16_digit_number_is_accepted_with_a_warning(raw, column, code):
    text, warning = identity_text(raw, column=column)
    assert text == NIK
    assert isinstance(warning, Issue)
    assert warning.code == code
    assert "stored as a number" in warning.message


@pytest.mark.parametrize(("raw", "code"), [
    (320101170580001, "nik_numeric_length"),  # 15 digits
    (320101170580001.0, "nik_numeric_length"),
    (1101011705800, "nik_numeric_length"),
    (32010117058000011, "nik_numeric_length"),  # 17 digits
    (3201011705800000, "nik_numeric_rounded"),  # 16 digits ending in 0: the 16th was probably lost
    (3201011705800000.0, "nik_numeric_rounded"),
    (3.20101e15, "nik_numeric_rounded"),
    (3201011705800001.5, "nik_numeric_length"),
    (float("inf"), "nik_numeric_length"),
    (float("nan"), "nik_numeric_length"),
])
def test_numbers_that_may_have_lost_digits_are_refused(raw, code):
    with pytest.raises(ValueProblem) as info:
        identity_text(raw, column="nik")
    assert info.value.code == code
    assert "Format the column as Text" in info.value.message


def test_fifteen_digit_number_message_counts_the_digits():
    with pytest.raises(ValueProblem) as info:
        identity_text(320101170580001, column="no_kk")
    assert info.value.code == "kk_numeric_length"
    assert "15 digits instead of 16" in info.value.message


@pytest.mark.parametrize("raw", [True, datetime.date(1980, 5, 17), datetime.datetime(1980, 5, 17)])
def test_other_cell_types_are_refused(raw):
    with pytest.raises(ValueProblem) as info:
        identity_text(raw, column="nik")
    assert info.value.code == "nik_not_text"


def test_no_kk_numeric_cell_is_validated_afterwards():
    text, warning = identity_text(int(KK), column="no_kk")
    assert warning.code == "kk_numeric_cell"
    assert validate_no_kk(text, today=TODAY).ok
