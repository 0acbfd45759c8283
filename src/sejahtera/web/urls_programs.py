"""Pages of the programme engine: catalogue, rules, cycles, enrolments, payments (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import programs, programs_create

urlpatterns = [
    path("programmes/", programs.programme_list, name="programme_list"),
    # Before the programme's own address, so that "new" and "preview" are not read as codes.
    path("programmes/new/", programs_create.programme_create, name="programme_create"),
    path("programmes/preview/", programs_create.rule_preview_new, name="rule_preview_new"),
    path("programmes/<slug:code>/", programs.programme_detail, name="programme_detail"),
    path("programmes/<slug:code>/rule/", programs.rule_edit, name="rule_edit"),
    path("programmes/<slug:code>/rule/preview/", programs.rule_preview, name="rule_preview"),
    path("programmes/<slug:code>/what-if/", programs.programme_whatif, name="programme_whatif"),
]
