"""KBJI 2014 shipped with the package: lookups."""

import pytest

from sejahtera.careers import kbji


def test_every_level_is_shipped_with_its_count():
    counts = {level: len(kbji.occupations(level)) for level in kbji.LEVELS}
    assert counts == {1: 10, 2: 43, 3: 130, 4: 446, 6: 2137}


@pytest.mark.parametrize("code", ["7", "72", "721", "7212", "7212.01", "0111.01"])
def test_codes_of_every_level_are_valid(code):
    assert kbji.is_valid_code(code)
    assert kbji.occupation(code).level == len(code.replace(".", ""))


@pytest.mark.parametrize("code", ["", "72120", "721201", "7212.1", "9999", "7212.00", None, 7212])
def test_malformed_or_unknown_codes_are_invalid(code):
    assert not kbji.is_valid_code(code)


def test_titles_and_descriptions():
    assert kbji.title("7212") == "Pekerja Pengelasan"
    assert kbji.title("2341") == "Guru Sekolah Dasar"
    assert "mengelas" in kbji.occupation("7212.01").description.lower()
    assert kbji.label("7212") == "7212 Pekerja Pengelasan"
    with pytest.raises(KeyError):
        kbji.title("9999")


def test_children_one_level_down_in_code_order():
    assert [child.code for child in kbji.children("721")] == ["7211", "7212", "7213", "7214", "7215"]
    assert [child.code for child in kbji.children("7212")] == ["7212.01", "7212.02", "7212.99"]
    assert kbji.children("7212.01") == ()
    assert {child.level for child in kbji.children("7")} == {2}


def test_parent_codes_climb_the_levels():
    assert [kbji.parent_code(code) for code in ("7212.01", "7212", "721", "72", "7")] == ["7212", "721", "72", "7", None]
    for entry in kbji.occupations():
        parent = entry.parent_code
        assert parent is None or kbji.is_valid_code(parent)


def test_normalize_code_accepts_common_spellings():
    assert kbji.normalize_code("721201") == "7212.01"
    assert kbji.normalize_code(" 7212 01 ") == "7212.01"
    assert kbji.normalize_code("7212") == "7212"


def test_search_by_title_words_puts_title_starts_first():
    found = kbji.search("guru", level=4)
    starts = [entry.title.lower().startswith("guru") for entry in found]
    assert "2341" in [entry.code for entry in found]
    assert any(starts) and not all(starts)  # "Pengurus ..." also contains "guru"
    assert starts == sorted(starts, reverse=True)
    assert all("sekolah" in entry.title.lower() for entry in kbji.search("guru sekolah"))


def test_search_by_code_prefix():
    assert [entry.code for entry in kbji.search("7212")] == ["7212", "7212.01", "7212.02", "7212.99"]
    assert all(entry.code.startswith("72") for entry in kbji.search("72", limit=100))
    assert kbji.search("  ") == []
