"""A paginator whose count stops at a limit, so a large registry never gets a full COUNT(*)."""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_LIMIT = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``count_limit`` rows; beyond that the page says "more than …"."""

    count_limit = COUNT_LIMIT

    @cached_property
    def _found(self) -> int:
        # COUNT(*) over a LIMITed subquery: the database stops after count_limit + 1 rows.
        return self.object_list.order_by().values("pk")[: self.count_limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.count_limit)

    @property
    def is_capped(self) -> bool:
        return self._found > self.count_limit
