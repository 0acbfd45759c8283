"""The job-title index that maps advert titles to KBJI codes."""

from collections import defaultdict

import pytest

from sejahtera.careers import kbji
from sejahtera.careers.matching.job_titles import JobTitle, TitleIndex, read_job_titles, title_words
from sejahtera.careers.matching.suggest import suggest_kbji


def test_words_that_do_not_change_the_occupation_are_dropped():
    assert title_words("Staff Admin Gudang (Pria) - URGENT") == ["admin", "gudang"]
    assert title_words("Senior Welder Kontrak / Freelance") == ["welder"]
    assert title_words("Part Time Barista") == ["barista"]
    assert title_words("Supervisor Produksi") == ["supervisor", "produksi"]  # seniority that changes the group stays


def test_the_shipped_index_is_large_and_every_code_exists():
    titles = read_job_titles()
    assert len(titles) >= 3000
    assert all(kbji.occupation(entry.code).level in (4, 6) for entry in titles)
    assert len({entry.unit_group for entry in titles}) >= 300
    assert len({entry.title.lower() for entry in titles}) == len(titles)


def test_titles_that_read_the_same_never_point_to_different_unit_groups():
    groups = defaultdict(set)
    for entry in read_job_titles():
        groups[" ".join(title_words(entry.title))].add(entry.unit_group)
    assert {key: codes for key, codes in groups.items() if len(codes) > 1} == {}


def test_an_unknown_code_is_reported_with_its_row(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("title,kbji\nTukang Las,7212\nJuru Sulap,9999\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 3: '9999' is not a KBJI"):
        read_job_titles(path)
    path.write_text("title,kbji\nTukang Las,72\n", encoding="utf-8")  # a sub-major group is too coarse
    with pytest.raises(ValueError, match="row 2"):
        read_job_titles(path)


def test_a_group_with_more_near_titles_scores_higher():
    index = TitleIndex([
        JobTitle("Operator Mesin", "8189"),
        JobTitle("Operator Mesin", "8153"),
        JobTitle("Operator Mesin Jahit", "8153"),
    ])
    scores = index.unit_group_scores("Operator Mesin")
    assert scores["8189"][0] == pytest.approx(0.6)  # its one title, identical: the first share of 1.0
    assert scores["8153"][0] > scores["8189"][0]


def test_word_order_counts():
    index = TitleIndex([JobTitle("Admin Gudang", "4321"), JobTitle("Gudang Admin", "9333")])
    scores = index.unit_group_scores("admin gudang")
    assert scores["4321"][0] > scores["9333"][0]


def test_the_nearest_title_decides():
    index = TitleIndex([
        JobTitle("Admin Gudang", "4321"),
        JobTitle("Kepala Gudang", "1324"),
        JobTitle("Operator Forklift", "8344"),
        JobTitle("Tukang Las", "7212.01"),
    ])
    scores = index.unit_group_scores("Staff Admin Gudang (Wanita)")
    assert max(scores, key=lambda group: scores[group][0]) == "4321"
    assert scores["4321"][0] > scores["1324"][0] > 0
    assert scores["4321"][1] == "4321"
    assert index.unit_group_scores("tukang las listrik")["7212"][1] == "7212.01"
    assert index.unit_group_scores("Juru Sulap") == {}


@pytest.mark.parametrize(
    ("title", "unit_group"),
    [
        ("Office Boy", "9112"),
        ("Sewing Operator", "8153"),
        ("Staff Admin Gudang", "4321"),
        ("Driver Truk", "8332"),
        ("Satpam", "5414"),
        ("Kasir", "5230"),
    ],
)
def test_common_advert_titles_get_their_unit_group_first(title, unit_group):
    assert suggest_kbji(title)[0].unit_group == unit_group


def test_an_advert_title_coded_to_an_occupation_suggests_that_occupation():
    exact = [entry for entry in read_job_titles() if len(entry.code) == 7]
    assert exact, "the shipped index codes some titles to a 6-digit occupation"
    suggestion = suggest_kbji(exact[0].title)[0]
    assert suggestion.code == exact[0].code
    assert suggestion.title == kbji.title(exact[0].code)
