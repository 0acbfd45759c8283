"""Reading families: the list, exact search, the family page, and the desa options fragment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sejahtera.registry import selectors
from sejahtera.web.forms import FamilyFilterForm, IdentitySearchForm
from sejahtera.web.history import history_entries
from sejahtera.web.pagination import CappedPaginator
from sejahtera.web.presenters import attach_member_counts, survey_rows
from sejahtera.web.regions import desa_in_scope
from sejahtera.welfare import selectors as welfare_selectors

PAGE_SIZE = 50
HISTORY_LIMIT = 200


@never_cache
@login_required
@require_GET
def family_list(request):
    user = request.user
    if not user.personal_data_scopes:
        return render(request, "web/aggregates_only.html")
    form = FamilyFilterForm(user, request.GET)
    paginator = CappedPaginator(selectors.family_list(user, form.filters()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    attach_member_counts(page.object_list)
    welfare_selectors.attach_desil(page.object_list)
    return render(request, "web/family_list.html", {
        "form": form, "page": page, "paginator": paginator, "search_form": IdentitySearchForm(),
        "can_register": bool(user.edit_scopes),
    })


@never_cache
@login_required
@require_GET
def desa_options(request):
    """htmx: the <option>s of the desa of one kecamatan, limited to the user's scope."""
    villages = desa_in_scope(request.user, request.GET.get("kecamatan", ""))
    return render(request, "web/_desa_options.html", {"villages": villages})


@never_cache
@login_required
@require_POST
def identity_search(request):
    form = IdentitySearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["number"][0])
        return redirect("web:family_list")
    family = selectors.identity_search(request.user, form.cleaned_data["number"])
    if family is None:
        messages.warning(request, _("No family with this NIK or No. KK was found in your area."))
        return redirect("web:family_list")
    return redirect("web:family_detail", pk=family.pk)


@never_cache
@login_required
@require_GET
def family_detail(request, pk: int):
    user = request.user
    family = selectors.family_get(user, pk)
    survey = selectors.latest_survey(family)
    events = selectors.family_history(family)[:HISTORY_LIMIT]
    return render(request, "web/family_detail.html", {
        "family": family,
        "members": list(family.members.all()),
        "survey": survey,
        "survey_rows": survey_rows(survey) if survey else [],
        "welfare": welfare_selectors.family_welfare(family, has_survey=survey is not None),
        "memberships": selectors.family_memberships(family),
        "history": history_entries(user, family, events),
        "can_edit": user.can_edit_region(family.desa_id),
    })
