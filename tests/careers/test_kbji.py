"""KBJI 2014 shipped with the package: lookups."""

import csv
import threading
from pathlib import Path

import pytest

from sejahtera.careers import kbji
from sejahtera.careers.matching.suggest import suggest_kbji


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


# --- suggestion from a vacancy's title and description ---------------------------------------

DATA = Path(__file__).parent / "data"


def read_titles(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def labelled_titles() -> list[dict]:
    return read_titles("vacancy_titles.csv")


def test_labelled_set_is_large_and_coded_at_the_unit_group_level():
    rows = labelled_titles()
    assert len(rows) >= 200
    assert len({row["title"].lower() for row in rows}) == len(rows)
    assert all(kbji.occupation(row["kbji"]).level == 4 for row in rows)


def accuracy(rows: list[dict], *, use_description: bool = False) -> tuple[float, float]:
    """Top-1 and top-5 accuracy of the suggestion at the 4-digit level."""
    top1 = top5 = 0
    for row in rows:
        groups = [s.unit_group for s in suggest_kbji(row["title"], row["description"] if use_description else "")]
        top1 += groups[:1] == [row["kbji"]]
        top5 += row["kbji"] in groups
    return top1 / len(rows), top5 / len(rows)


def test_the_titles_the_job_title_index_was_written_beside_are_coded_as_labelled():
    # The first two sets were open to the writers of data/kbji_job_titles.csv: measured 99.1 % and
    # 97.9 % top-1 with titles alone (benchmarks/kbji_suggest_benchmark.py).
    for rows in (labelled_titles(), held_out_titles()):
        top1, top5 = accuracy(rows)
        assert top1 >= 0.97 and top5 >= 0.99


def held_out_titles() -> list[dict]:
    return read_titles("vacancy_titles_heldout.csv")


def test_held_out_set_is_large_new_and_coded_at_the_unit_group_level():
    rows = held_out_titles()
    assert len(rows) >= 200
    titles = {row["title"].lower() for row in rows}
    assert len(titles) == len(rows)
    assert not titles & {row["title"].lower() for row in labelled_titles()}  # no title of the first set
    assert all(kbji.occupation(row["kbji"]).level == 4 for row in rows)
    assert all("note" in row for row in rows)


def blind_titles() -> list[dict]:
    return read_titles("vacancy_titles_blind.csv")


def test_blind_set_is_large_varied_and_coded_at_the_unit_group_level():
    rows = blind_titles()
    assert len(rows) >= 300
    assert len({row["title"].lower() for row in rows}) == len(rows)
    assert all(kbji.occupation(row["kbji"]).level == 4 for row in rows)
    assert len({row["kbji"] for row in rows}) >= 120
    assert all("note" in row for row in rows)


def test_blind_titles_reach_the_issue_accuracy():
    """The honest figure: titles written apart from the job-title index and measured once, unchanged.

    Measured: top-1 87.5 %, top-5 97.8 % (title alone); 87.8 % / 97.8 % with the description;
    80.8 % top-1 on the 120 titles that are not in the index. The issue asks for 80 % top-1.
    """
    top1, top5 = accuracy(blind_titles())
    assert top1 >= 0.85
    assert top5 >= 0.95
    with_description, _top5 = accuracy(blind_titles(), use_description=True)
    assert with_description >= 0.85


def test_title_alone_is_enough_for_most_titles():
    rows = labelled_titles()
    top5 = sum(row["kbji"] in [s.unit_group for s in suggest_kbji(row["title"])] for row in rows)
    assert top5 / len(rows) >= 0.85


@pytest.mark.parametrize(
    ("title", "unit_group"),
    [
        ("Pengelasan", "7212"),  # pe-an around the root "las"
        ("Tenaga pengelasan konstruksi baja", "7212"),
        ("Mengemudi truk", "8332"),  # me- on "kemudi"; KBJI says "pengemudi"
        ("Mengemudikan mobil box", "8322"),
        ("Penjahitan pakaian", "7533"),
    ],
)
def test_affixed_words_find_their_occupation(title, unit_group):
    assert unit_group in [s.unit_group for s in suggest_kbji(title)]


def test_suggestions_are_detailed_occupations_one_per_unit_group_best_first():
    suggestions = suggest_kbji("Tukang Las", "Mengelas rangka besi dengan las listrik", limit=5)
    assert suggestions[0].unit_group == "7212"
    assert len(suggestions) == 5
    assert all(kbji.occupation(s.code).level == 6 and s.title == kbji.title(s.code) for s in suggestions)
    assert len({s.unit_group for s in suggestions}) == 5
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True) and all(0 < score <= 1 for score in scores)


def test_the_title_weighs_more_than_the_description():
    # a cashier vacancy in a restaurant: the description speaks of food, the title decides
    suggestions = suggest_kbji("Kasir", "Menerima pembayaran tamu restoran dan membantu menyajikan makanan")
    assert suggestions[0].unit_group == "5230"


def test_suggestion_edge_cases():
    assert suggest_kbji("") == []
    assert suggest_kbji("  ", "") == []
    assert [s.unit_group for s in suggest_kbji("", "mengelas bagian logam dengan las listrik")][:1] == ["7212"]
    assert len(suggest_kbji("operator", limit=2)) == 2
    assert suggest_kbji("Satpam") == suggest_kbji("Satpam")


def test_the_suggestion_indexes_are_built_in_the_background_once():
    from sejahtera.careers.matching import suggest

    suggest._index.cache_clear()
    suggest.title_index.cache_clear()
    suggest.prepare_in_background()
    for thread in threading.enumerate():
        if thread.name == "kbji-suggestion-index":
            thread.join(timeout=300)
    assert suggest._index.cache_info().currsize == 1
    assert suggest.title_index.cache_info().currsize == 1
    suggest.prepare_in_background()  # built: nothing more to do
    assert "kbji-suggestion-index" not in [thread.name for thread in threading.enumerate()]
    assert suggest_kbji("Tukang Las")[0].unit_group == "7212"
