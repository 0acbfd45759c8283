"""Matching job seekers and vacancies, and suggesting KBJI codes; plain Python, no database.

    from sejahtera.careers.matching import SeekerProfile, VacancyProfile, rank_vacancies, rank_seekers

See :mod:`.ranking` for how a score is made, :mod:`.suggest` for the KBJI suggestion and
:mod:`.text` for the n-gram text similarity both use.
"""

from sejahtera.careers.matching.profiles import Match, MatchSettings, SeekerProfile, VacancyProfile, normalize_skill
from sejahtera.careers.matching.ranking import match, rank_seekers, rank_vacancies
from sejahtera.careers.matching.suggest import Suggestion, prepare_in_background, suggest_kbji
from sejahtera.careers.matching.text import NgramTfidf, TextSimilarity, default_text_similarity

__all__ = [
    "Match",
    "MatchSettings",
    "NgramTfidf",
    "SeekerProfile",
    "Suggestion",
    "TextSimilarity",
    "VacancyProfile",
    "default_text_similarity",
    "match",
    "normalize_skill",
    "prepare_in_background",
    "rank_seekers",
    "rank_vacancies",
    "suggest_kbji",
]
