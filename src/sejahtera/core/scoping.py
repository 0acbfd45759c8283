"""Region scoping of querysets: a user reads only records inside their region scopes."""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q


def region_prefix_q(field: str, scopes: list[str]) -> Q | None:
    """``Q`` matching rows whose region code (``field``) starts with one of ``scopes``."""
    if not scopes:
        return None
    return reduce(or_, (Q(**{f"{field}__startswith": code}) for code in scopes))


class RegionScopedQuerySet(models.QuerySet):
    """Subclasses name the field holding the row's desa code in ``region_field``."""

    region_field = "desa"

    def for_user(self, user):
        """Rows this user may read as personal data; none for anonymous users or planners."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = region_prefix_q(f"{self.region_field}__pk", user.personal_data_scopes)
        return self.filter(q) if q is not None else self.none()
