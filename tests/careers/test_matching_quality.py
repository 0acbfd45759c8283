"""Matching quality on generated data with a known best match: the matcher against plain keyword search.

A small run of benchmarks/matching_quality.py (200 seekers, 400 vacancies, seed 7); the full
run (1,000 seekers, 2,000 vacancies) is in the benchmark's output and the README. No database.
"""

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import matching_quality  # noqa: E402


@pytest.fixture(scope="module")
def results():
    world = matching_quality.generate(200, 400, seed=7)
    return matching_quality.evaluate(world)


def test_the_generated_world_has_a_known_best_match_for_almost_every_seeker(results):
    assert results["matcher"]["seekers"] >= 180  # of 200: the rest have no compatible vacancy at all


def test_the_matcher_beats_plain_keyword_search_clearly(results):
    matcher, keyword = results["matcher"], results["keyword (BM25)"]
    # measured (seed 7): precision@10 0.517 against 0.377, nDCG@10 0.916 against 0.565
    assert matcher["precision"] >= keyword["precision"] + 0.08
    assert matcher["ndcg"] >= keyword["ndcg"] + 0.25


def test_the_ranking_adds_more_than_the_hard_filters(results):
    matcher, filtered = results["matcher"], results["keyword (BM25) + filters"]
    # measured (seed 7): precision@10 0.517 against 0.425, nDCG@10 0.916 against 0.724
    assert matcher["precision"] >= filtered["precision"] + 0.05
    assert matcher["ndcg"] >= filtered["ndcg"] + 0.12


def test_the_matcher_comes_close_to_the_ideal_ranking(results):
    assert results["matcher"]["precision"] >= 0.9 * results["ideal"]["precision"]
    assert results["matcher"]["ndcg"] >= 0.85


def test_graded_relevance_follows_the_hidden_truth():
    world = matching_quality.generate(30, 120, seed=3)
    for seeker in world.seekers:
        true, _past = world.seeker_truth[seeker.id]
        for vacancy in world.vacancies:
            grade = matching_quality.grade(world, seeker, vacancy)
            if grade >= 2:
                assert world.vacancy_truth[vacancy.id] == true
                assert matching_quality.eligible(seeker, vacancy)
    assert matching_quality.precision_at([3, 2, 1, 0] + [0] * 6) == 0.2
    assert matching_quality.dcg([1]) == 1.0


def test_bm25_ranks_the_words_of_the_query():
    base = matching_quality.generate(1, 1, seed=5).vacancies[0]
    texts = [("Tukang Las", "Mengelas rangka besi"), ("Kasir", "Melayani pembayaran"), ("Sopir Truk", "Mengemudikan truk")]
    vacancies = [replace(base, id=n, title=title, description=text) for n, (title, text) in enumerate(texts, 1)]
    bm25 = matching_quality.Bm25(vacancies)
    scores = bm25.scores("tukang las berpengalaman mengelas")
    assert scores[0] > 0 and scores[1] == scores[2] == 0.0
    assert bm25.scores("xyzzy") == [0.0, 0.0, 0.0]
