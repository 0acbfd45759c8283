"""The job-title index: vacancy titles as Indonesian job adverts word them, each with its KBJI code.

KBJI 2014 names an occupation the way a statistician does ("Tenaga Perkantoran Umum"); adverts
say "Staff Admin", "Office Boy", "Sewing Operator". ``data/kbji_job_titles.csv`` lists such titles
with the unit group (or, where one fits exactly, the 6-digit occupation) a Disnaker officer codes
them as, in the manner of the ILO's index of ISCO titles. The index holds those titles and the
official KBJI titles, and finds the ones nearest to a vacancy's title.

Titles are compared by TF-IDF over three kinds of features: the character n-grams of each word
(affixes, spelling variants), whole words, and pairs of adjacent words (word order: "admin gudang"
is not "gudang admin"). Words that say nothing about the work (seniority, sex, contract type,
"urgent") are dropped from both sides first, so "Staff Admin Gudang (Pria)" is "admin gudang".
"""

import csv
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sejahtera.careers import kbji
from sejahtera.careers.matching.text import Vector, normalized, word_ngrams, words

SHIPPED_TITLES = Path(__file__).resolve().parent.parent / "data" / "kbji_job_titles.csv"

# Words of an advert's title that do not change the occupation.
NOISE_WORDS = frozenset(
    "staff staf senior junior sr jr urgent segera dibutuhkan butuh dicari lowongan loker kerja "
    "pria wanita laki perempuan cowok cewek freelance freelancer parttime fulltime part full time "
    "kontrak tetap pkwt pkwtt penempatan pt cv tbk".split()
)

# How much each kind of feature counts, against the n-grams of the words.
WORD_WEIGHT = 1.5
PAIR_WEIGHT = 1.5
# A unit group's score: these shares of the cosines of its nearest, second and third titles.
NEAREST_SHARES = (0.6, 0.25, 0.15)


def title_words(title: str) -> list[str]:
    """The words of a title that say what the work is: ``"Staff Admin Gudang (Pria)"`` -> ``["admin", "gudang"]``."""
    return [word for word in words(title) if word not in NOISE_WORDS]


def _features(title: str) -> Counter:
    """Feature -> kind weight (the IDF is applied by the index)."""
    tokens = title_words(title)
    features: Counter = Counter()
    for token in tokens:
        for gram in word_ngrams(token):
            features[gram] = 1.0
        features[f"w:{token}"] = WORD_WEIGHT
    for first, second in zip(tokens, tokens[1:]):
        features[f"p:{first} {second}"] = PAIR_WEIGHT
    return features


@dataclass(frozen=True)
class JobTitle:
    title: str
    code: str  # a 4-digit unit group or a 6-digit occupation

    @property
    def unit_group(self) -> str:
        return self.code[:4]


def read_job_titles(path: Path = SHIPPED_TITLES) -> list[JobTitle]:
    """The advert titles of ``path`` (columns ``title,kbji``), checked against the shipped KBJI list."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = []
    for number, row in enumerate(rows, start=2):
        code = kbji.normalize_code(row["kbji"])
        if not kbji.is_valid_code(code) or kbji.occupation(code).level not in (4, 6):
            raise ValueError(f"{path.name} row {number}: {row['kbji']!r} is not a KBJI unit group or occupation")
        titles.append(JobTitle(row["title"].strip(), code))
    return titles


class TitleIndex:
    """Nearest titles by cosine over IDF-weighted features; the IDF is fitted on the titles themselves."""

    def __init__(self, titles: list[JobTitle]):
        features = [_features(entry.title) for entry in titles]
        document_frequency = Counter(feature for found in features for feature in found)
        size = len(titles)
        self.idf = {feature: math.log((1 + size) / (1 + df)) + 1.0 for feature, df in document_frequency.items()}
        self.unseen_idf = math.log(1 + size) + 1.0
        self.titles = titles
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for number, found in enumerate(features):
            for feature, weight in self._vector(found).items():
                self.postings.setdefault(feature, []).append((number, weight))

    def _vector(self, features: Counter) -> Vector:
        idf, unseen = self.idf, self.unseen_idf
        return normalized({feature: kind * idf.get(feature, unseen) for feature, kind in features.items()})

    def unit_group_scores(self, title: str) -> dict[str, tuple[float, str]]:
        """Unit group -> (score, code of its nearest title), for every group with a shared feature.

        The score weighs a group's three nearest titles (``NEAREST_SHARES``): a title word shared
        with many titles of one group ("kasir ...") is better evidence than one rare word shared
        with a single title of another group ("... minimarket").
        """
        scores = [0.0] * len(self.titles)
        for feature, weight in self._vector(_features(title)).items():
            for number, title_weight in self.postings.get(feature, ()):
                scores[number] += weight * title_weight
        nearest: dict[str, list[tuple[float, int]]] = {}
        for number, score in enumerate(scores):
            if score > 0.0:
                nearest.setdefault(self.titles[number].unit_group, []).append((-score, number))
        best = {}
        for group, found in nearest.items():
            found.sort()  # best first; a tie goes to the earlier title, so the result is deterministic
            score = sum(share * -negative for share, (negative, _number) in zip(NEAREST_SHARES, found))
            best[group] = (score, self.titles[found[0][1]].code)
        return best


@cache
def title_index() -> TitleIndex:
    """The shipped advert titles and every official unit-group and occupation title (built once per process)."""
    official = [JobTitle(entry.title, entry.code) for level in (4, 6) for entry in kbji.occupations(level)]
    return TitleIndex(read_job_titles() + official)
