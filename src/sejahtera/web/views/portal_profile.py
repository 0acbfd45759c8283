"""The seeker's profile page: the profile itself (``seeker_update``), certificates and work
experience (``careers.services.accounts``), and the KBJI occupation search that feeds the selects."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sejahtera.careers import kbji, services
from sejahtera.web.views.portal_forms import CertificateForm, ExperienceForm, SeekerProfileForm
from sejahtera.web.views.portal_public import apply_service_errors
from sejahtera.web.views.portal_seeker import own_seeker, portal_login_required

KBJI_LEVEL = 4  # unit groups: specific enough for matching, few enough to pick from


def kbji_options(query: str, selected: str = "") -> list[tuple[str, str]]:
    found = [(o.code, f"{o.code} {o.title}") for o in kbji.search(query, level=KBJI_LEVEL, limit=30)] if query else []
    if selected and selected not in {code for code, _label in found} and kbji.is_valid_code(selected):
        found.insert(0, (selected, kbji.label(selected)))
    return found


@require_GET
def portal_kbji_options(request):
    """htmx: the <option>s of the occupations matching ``q`` (public: the KBJI list is public)."""
    query = (request.GET.get("q") or request.GET.get("kbji_q", ""))[:60]
    return render(request, "web/portal/_kbji_options.html", {"options": kbji_options(query)})


def _profile_initial(seeker) -> dict:
    return {
        "education": seeker.education, "major": seeker.major,
        "skills": ", ".join(s.name for s in seeker.skills.all()),
        "desired": [d.kbji_code for d in seeker.desired_occupations.all()],
        "work_areas": [w.kecamatan_code for w in seeker.work_areas.all()],
        "expected_wage": seeker.expected_wage, "available_from": seeker.available_from,
        "phone": seeker.phone, "email": seeker.email,
    }


def _save(request, form, save) -> bool:
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(request, _("Your profile was saved."))
    return True


@portal_login_required
def portal_profile(request):
    seeker = own_seeker(request.user)
    desired_codes = [d.kbji_code for d in seeker.desired_occupations.all()]
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if action else None
    profile_form = SeekerProfileForm(data if action == "profile" else None, desired_codes=desired_codes,
                                     initial=_profile_initial(seeker), prefix="p")
    certificate_form = CertificateForm(data if action == "certificate" else None, prefix="c")
    experience_form = ExperienceForm(data if action == "experience" else None, prefix="e")
    user = request.user

    def save_profile(d):
        services.seeker_update(actor=user, seeker=seeker, education=d["education"], major=d["major"],
                               expected_wage=d["expected_wage"], available_from=d["available_from"],
                               phone=d["phone"], email=d["email"], skills=d["skills"].split(","),
                               desired_kbji=profile_form.desired_kbji(), work_areas=d["work_areas"])

    saved = False
    if action == "profile":
        saved = _save(request, profile_form, save_profile)
    elif action == "certificate":
        saved = _save(request, certificate_form,
                      lambda d: services.seeker_certificate_add(actor=user, seeker=seeker, **d))
    elif action == "experience":
        saved = _save(request, experience_form,
                      lambda d: services.seeker_experience_add(actor=user, seeker=seeker, **d))
    elif action == "remove_certificate":
        services.seeker_certificate_remove(
            actor=user, certificate=get_object_or_404(seeker.certificates, pk=request.POST.get("pk")))
        saved = True
    elif action == "remove_experience":
        services.seeker_experience_remove(
            actor=user, experience=get_object_or_404(seeker.experiences, pk=request.POST.get("pk")))
        saved = True
    if saved:
        return redirect("web:portal_profile")
    query = request.GET.get("kbji_q", "")[:60]
    return render(request, "web/portal/profile.html", {
        "seeker": seeker, "profile_form": profile_form, "certificate_form": certificate_form,
        "experience_form": experience_form, "kbji_query": query,
        "add_options": kbji_options(query, profile_form["add_kbji"].value() or ""),
        "experience_options": kbji_options(query, experience_form["kbji_code"].value() or ""),
        "certificates": seeker.certificates.all(),
        "experiences": [(e, kbji.label(e.kbji_code) if e.kbji_code else "") for e in seeker.experiences.all()],
    })
