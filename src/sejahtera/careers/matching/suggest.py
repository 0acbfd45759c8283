"""KBJI 2014 code suggested from a vacancy's title and description.

Two signals, per 4-digit unit group:

- the advert titles of the job-title index (:mod:`.job_titles`) nearest to the vacancy's title:
  "Sewing Operator" is a title adverts use, coded by a Disnaker officer; this counts most;
- the KBJI wording: every 6-digit occupation is indexed by its title (with its unit group's title
  at half weight) and by its description (with its unit group's description at half weight). The
  vacancy's title, widened with the KBJI wording of job-advert words (:mod:`.vocabulary`), is
  compared with both, and its description with the occupations' descriptions.

The occupation offered for a group is the one the nearest advert title names, when it names one,
or else the group's occupation closest by the KBJI wording.
"""

import threading
from dataclasses import dataclass
from functools import cache

from sejahtera.careers import kbji
from sejahtera.careers.matching.job_titles import title_index
from sejahtera.careers.matching.text import Vector, combine, default_text_similarity
from sejahtera.careers.matching.vocabulary import expand

# Shares of the score: vacancy title against occupation titles, against descriptions, and the
# vacancy's description against occupation descriptions.
TITLE_TO_TITLE = 0.60
TITLE_TO_DESCRIPTION = 0.20
DESCRIPTION_TO_DESCRIPTION = 0.20
# Share of the nearest advert title (:mod:`.job_titles`) in a unit group's score; the rest is the
# KBJI wording above.
TITLE_INDEX = 0.70


@dataclass(frozen=True)
class Suggestion:
    code: str  # a 6-digit occupation, e.g. "7212.01"
    title: str
    score: float  # 0-1, comparable within one call

    @property
    def unit_group(self) -> str:
        return self.code[:4]


class _FieldIndex:
    """Inverted index of one field of the occupations: n-gram -> (occupation numbers, weights)."""

    def __init__(self, vectors: list[Vector]):
        self.size = len(vectors)
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for number, vector in enumerate(vectors):
            for gram, weight in vector.items():
                numbers, weights = postings.setdefault(gram, ([], []))
                numbers.append(number)
                weights.append(weight)
        self.postings = postings

    def add_cosines(self, query: Vector, factor: float, scores: list[float]) -> None:
        """Add ``factor`` x cosine(query, occupation) to each occupation's score."""
        postings = self.postings
        for gram, query_weight in query.items():
            found = postings.get(gram)
            if found is None:
                continue
            scale = factor * query_weight
            for number, weight in zip(*found, strict=True):
                scores[number] += scale * weight


@dataclass
class _Index:
    occupations: tuple[kbji.Occupation, ...]
    titles: _FieldIndex
    descriptions: _FieldIndex


@cache
def _index() -> _Index:
    tfidf = default_text_similarity()
    occupations = kbji.occupations(6)
    title_vectors, description_vectors = [], []
    for entry in occupations:
        unit = kbji.occupation(entry.code[:4])
        title_vectors.append(combine((tfidf.vector(entry.title), 1.0), (tfidf.encode(unit.title), 0.5)))
        description_vectors.append(
            combine((tfidf.vector(f"{entry.title}\n{entry.description}"), 1.0), (tfidf.encode(unit.description), 0.5))
        )
    return _Index(occupations, _FieldIndex(title_vectors), _FieldIndex(description_vectors))


_preparing = threading.Lock()


def prepare_in_background() -> None:
    """Build the indexes in a daemon thread unless built or building, so a first suggestion need not wait.

    Building takes seconds; the vacancy form calls this when it opens, while the employer types.
    """
    if _index.cache_info().currsize and title_index.cache_info().currsize:
        return
    if _preparing.acquire(blocking=False):  # released by the thread: one build at a time
        def build() -> None:
            try:
                _index()
                title_index()
            finally:
                _preparing.release()

        threading.Thread(target=build, name="kbji-suggestion-index", daemon=True).start()


def _kbji_text_scores(title: str, description: str) -> list[float] | None:
    """Each occupation's likeness to the vacancy by the KBJI wording alone; None when no text holds a word."""
    index = _index()
    tfidf = default_text_similarity()
    title_vector = tfidf.vector(expand(title))
    description_vector = tfidf.vector(expand(description)) if description.strip() else {}
    if not title_vector and not description_vector:
        return None
    if not title_vector:
        title_vector, description_vector = description_vector, {}
    scores = [0.0] * index.titles.size
    description_share = DESCRIPTION_TO_DESCRIPTION if description_vector else 0.0
    title_share = (1.0 - description_share) / (TITLE_TO_TITLE + TITLE_TO_DESCRIPTION)
    index.titles.add_cosines(title_vector, TITLE_TO_TITLE * title_share, scores)
    index.descriptions.add_cosines(title_vector, TITLE_TO_DESCRIPTION * title_share, scores)
    if description_vector:
        index.descriptions.add_cosines(description_vector, description_share, scores)
    return scores


def suggest_kbji(title: str, description: str = "", limit: int = 5) -> list[Suggestion]:
    """The ``limit`` 6-digit KBJI occupations most like the vacancy, best first.

    At most one occupation per 4-digit unit group, so the list spans different groups (the
    siblings are ``kbji.children(code[:4])``). Empty when neither text holds a word. Scores are
    0-1; ties go to the lower code, so the result is deterministic.
    """
    text_scores = _kbji_text_scores(title, description)
    if text_scores is None:
        return []
    occupations = _index().occupations
    # per unit group: its best occupation by the KBJI wording, and that score
    by_text: dict[str, tuple[float, str]] = {}
    for number, score in enumerate(text_scores):
        code = occupations[number].code
        if score > by_text.get(code[:4], (0.0, ""))[0]:
            by_text[code[:4]] = (score, code)
    by_title = title_index().unit_group_scores(title)
    ranked = []
    for group in by_text.keys() | by_title.keys():
        text_score, text_code = by_text.get(group, (0.0, ""))
        title_score, title_code = by_title.get(group, (0.0, ""))
        score = TITLE_INDEX * title_score + (1.0 - TITLE_INDEX) * text_score
        if len(title_code) == 7 and title_score >= text_score:
            code = title_code  # the advert title names the occupation, and weighs more than the KBJI wording
        else:
            code = text_code or kbji.children(group)[0].code
        ranked.append((-score, code))
    ranked.sort()
    return [Suggestion(code, kbji.title(code), round(-negative, 6)) for negative, code in ranked[:limit]]
