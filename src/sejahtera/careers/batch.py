"""Recommendations for every active seeker in one run, stored in ``careers_recommendation``.

``recommend_all(limit=10)`` ranks the public vacancies for each active seeker as
``recommend.vacancies_for_seeker`` does (the same matches and scores: eligible only, vacancies the
seeker applied to left out) with one ``VacancyIndex`` for all of them, and replaces the stored
recommendations in one transaction (COPY on PostgreSQL). ``notify_new_matches(since=...)`` then
tells each seeker with an account, in one notification, of the vacancies opened since the previous
run that are among their best matches. ``sejahtera recommend_vacancies`` (nightly) runs both.
"""

import datetime
import io
from collections import defaultdict

import numpy as np
from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from sejahtera.careers import recommend
from sejahtera.careers.matching import default_text_similarity, explain, rank_vacancies
from sejahtera.careers.matching.ranking import VacancyIndex, supports_index, top_vacancies
from sejahtera.careers.models import Application, JobSeeker, MatchingChange, Notification, Recommendation
from sejahtera.careers.selectors import public_vacancies

LOG_KEPT = datetime.timedelta(days=2)
NOTIFY_TOP = 5  # a new vacancy is announced to a seeker when it is among their best five


def recommend_all(limit: int = 10, *, today: datetime.date | None = None) -> int:
    """Compute and store the top ``limit`` vacancies of every active seeker; the number of rows stored."""
    today = today or timezone.localdate()
    settings_ = recommend.match_settings()
    similarity = default_text_similarity()
    vacancies = recommend.vacancy_profiles(public_vacancies())
    seekers = recommend.seeker_profiles(JobSeeker.objects.filter(status=JobSeeker.Status.ACTIVE),
                                        with_desil=settings_.poor_priority, today=today)
    applied = defaultdict(set)
    for seeker_id, vacancy_id in Application.objects.filter(vacancy__in=public_vacancies()).values_list(
            "seeker_id", "vacancy_id"):
        applied[seeker_id].add(vacancy_id)
    fast = supports_index(similarity)
    index = VacancyIndex(vacancies, similarity) if fast else None
    computed_at = timezone.now()
    phrases = explain.phrases()
    rows = []
    for seeker in seekers:
        if fast:
            allowed = None
            if applied[seeker.id]:
                allowed = np.ones(len(index), dtype=bool)
                for vacancy_id in applied[seeker.id]:
                    if vacancy_id in index.row:
                        allowed[index.row[vacancy_id]] = False
            matches = top_vacancies(index, seeker, settings_, limit=limit, allowed=allowed, phrases=phrases)
        else:
            pool = [v for v in vacancies if v.id not in applied[seeker.id]]
            matches = [m for m in rank_vacancies(seeker, pool, settings_) if m.eligible][:limit]
        rows.extend((seeker.id, m.vacancy_id, rank, m.score) for rank, m in enumerate(matches, 1))
    _store(rows, computed_at)
    MatchingChange.objects.filter(at__lt=computed_at - LOG_KEPT).delete()
    return len(rows)


def last_run() -> datetime.datetime | None:
    """When the stored recommendations were computed (None before the first run)."""
    return Recommendation.objects.aggregate(last=Max("computed_at"))["last"]


def notify_new_matches(*, since: datetime.datetime, top: int = NOTIFY_TOP) -> int:
    """One notification per seeker whose stored top ``top`` holds vacancies opened after ``since``; how many."""
    new = (Recommendation.objects.filter(rank__lte=top, vacancy__opened_at__gt=since, seeker__user__isnull=False)
           .order_by("seeker_id", "rank")
           .values_list("seeker__user_id", "vacancy__title", "vacancy__employer__name"))
    titles: dict[int, list[str]] = defaultdict(list)
    for user_id, title, employer in new:
        titles[user_id].append(f"{title} ({employer})")
    with translation.override("id"):  # the portal's language: the text is stored as written
        url = reverse("web:portal_dashboard")
        notifications = []
        for user_id, found in titles.items():
            text = ngettext("A new vacancy suits you: %(titles)s", "%(count)d new vacancies suit you: %(titles)s",
                            len(found)) % {"count": len(found), "titles": ", ".join(found)}
            notifications.append(Notification(user_id=user_id, url=url, text=text[:255]))
    Notification.objects.bulk_create(notifications, batch_size=2000)
    return len(notifications)


def _store(rows: list[tuple], computed_at) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = Recommendation._meta.db_table
            with connection.cursor() as cursor:
                try:
                    with transaction.atomic():
                        cursor.execute(f'TRUNCATE "{table}"')
                except OperationalError:  # rows written earlier in this transaction: deferred checks pending
                    cursor.execute(f'DELETE FROM "{table}"')
                buffer = io.StringIO()
                stamp = computed_at.isoformat()
                for seeker_id, vacancy_id, rank, score in rows:
                    buffer.write(f"{seeker_id}\t{vacancy_id}\t{rank}\t{score!r}\t{stamp}\n")
                with cursor.cursor.copy(f'COPY "{table}" (seeker_id, vacancy_id, rank, score, computed_at) '
                                        "FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
        else:
            Recommendation.objects.all().delete()
            Recommendation.objects.bulk_create(
                [Recommendation(seeker_id=s, vacancy_id=v, rank=r, score=score, computed_at=computed_at)
                 for s, v, r, score in rows], batch_size=2000)
