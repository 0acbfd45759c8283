"""The family profile page, and the one-click proposal of the family (or a member) for an open cycle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sejahtera.programs.models import Cycle
from sejahtera.programs.services import enrolment_propose
from sejahtera.registry.models import Family
from sejahtera.web.profile import family_profile as profile_get


@never_cache
@login_required
@require_GET
def family_profile(request, pk: int):
    profile = profile_get(request.user, pk)
    return render(request, "web/family_profile/page.html", {"profile": profile, "family": profile.family})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@login_required
@require_POST
def family_profile_propose(request, pk: int):
    family = get_object_or_404(Family.objects.for_user(request.user), pk=pk)
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=_int(request.POST.get("cycle")))
    person = None
    if request.POST.get("person"):
        person = family.members.filter(pk=_int(request.POST.get("person"))).first()
        if person is None:
            raise Http404
    try:
        enrolment_propose(actor=request.user, cycle=cycle, person=person, family=None if person else family)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("%(name)s is proposed as a candidate of %(cycle)s.")
                         % {"name": person.name if person else _("The family"), "cycle": cycle})
    return redirect(reverse("web:family_profile", args=[family.pk]) + "#eligible")
