"""Text similarity for Bahasa Indonesia without a stemmer: character n-gram TF-IDF.

Indonesian words carry affixes (``las`` / ``mengelas`` / ``pengelasan``, ``kemudi`` /
``pengemudi`` / ``mengemudikan``); the n-grams of 3 to 5 characters taken inside each word (padded
with a space at both ends) are shared by the forms of one root, so no dictionary is needed.
Weights are the inverse document frequency of each n-gram present (binary term frequency: job
texts are short, and a repeated word says little more) over a reference corpus (by default the KBJI 2014 titles and descriptions: the vocabulary of work), vectors are L2
normalised and compared by cosine.

:class:`TextSimilarity` is the interface the matcher uses, so that another encoder (a sentence
embedding model) can replace the n-grams later; :class:`NgramTfidf` is the default.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import chain
from typing import Any, Protocol

Vector = dict[str, float]

_WORD = re.compile(r"[0-9a-z]+")

# Function words that carry no meaning about work; affixed forms are left to the n-grams.
STOPWORDS = frozenset(
    "dan atau di ke dari yang untuk dengan pada dalam serta oleh sebagai ini itu adalah akan juga "
    "tersebut seperti lain lainnya dll ybdi ytdl the and of for in to a an".split()
)


def words(text: str) -> list[str]:
    """Lower-case words without accents, stopwords dropped: ``"Tukang Las (MIG)"`` -> ``["tukang", "las", "mig"]``."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [word for word in _WORD.findall(text) if word not in STOPWORDS]


@lru_cache(maxsize=100_000)
def word_ngrams(word: str, n_min: int = 3, n_max: int = 5) -> tuple[str, ...]:
    """The character n-grams of one word padded with spaces: ``"las"`` -> ``(" la", "las", "as ", " las", ...)``."""
    padded = f" {word} "
    grams = []
    for n in range(n_min, n_max + 1):
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(grams)


def ngram_set(text: str) -> set[str]:
    return set(chain.from_iterable(map(word_ngrams, words(text))))


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two L2-normalised sparse vectors: their dot product over the shared n-grams."""
    return sum(a[gram] * b[gram] for gram in a.keys() & b.keys())


class TextSimilarity(Protocol):
    """How the matcher compares texts: encode each text once, then compare encodings (0 to 1)."""

    def encode(self, text: str) -> Any: ...

    def similarity(self, a: Any, b: Any) -> float: ...


class NgramTfidf:
    """Character n-gram TF-IDF fitted on a reference corpus; implements :class:`TextSimilarity`."""

    def __init__(self, corpus: Iterable[str], *, cache_size: int = 200_000):
        document_frequency: Counter = Counter()
        n_documents = 0
        for document in corpus:
            document_frequency.update(ngram_set(document))
            n_documents += 1
        self.n_documents = n_documents
        self.idf = _Idf(
            {gram: math.log((1 + n_documents) / (1 + df)) + 1.0 for gram, df in document_frequency.items()},
            unseen=math.log(1 + n_documents) + 1.0,
        )
        self.encode = lru_cache(maxsize=cache_size)(self.vector)

    def vector(self, text: str) -> Vector:
        """The L2-normalised TF-IDF vector of ``text`` (empty for a text without words)."""
        grams = ngram_set(text)
        return normalized(dict(zip(grams, map(self.idf.__getitem__, grams), strict=True)))

    def similarity(self, a: Vector, b: Vector) -> float:
        return cosine(a, b)


class _Idf(dict):
    """n-gram -> inverse document frequency; an n-gram absent from the corpus gets the highest."""

    def __init__(self, values: dict[str, float], *, unseen: float):
        super().__init__(values)
        self.unseen = unseen

    def __missing__(self, gram: str) -> float:
        return self.unseen


def normalized(weights: Vector) -> Vector:
    norm = math.hypot(*weights.values())
    if norm == 0.0:
        return {}
    return {gram: w / norm for gram, w in weights.items()}


def combine(*weighted: tuple[Vector, float]) -> Vector:
    """Weighted sum of vectors, normalised: one vector for a title weighted above its description."""
    total: Vector = {}
    for vector, factor in weighted:
        for gram, w in vector.items():
            total[gram] = total.get(gram, 0.0) + factor * w
    return normalized(total)


@cache
def default_text_similarity() -> NgramTfidf:
    """The n-gram TF-IDF fitted on every KBJI 2014 title and description (built once per process)."""
    from sejahtera.careers import kbji

    return NgramTfidf(f"{entry.title}\n{entry.description}" for entry in kbji.occupations())
