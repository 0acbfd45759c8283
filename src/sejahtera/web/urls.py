from django.urls import path

from sejahtera.web import (
    urls_ak1,
    urls_careers_staff,
    urls_cycles,
    urls_employer,
    urls_family_profile,
    urls_monitoring,
    urls_portal,
    urls_programs,
    urls_targeting,
    urls_training,
    views,
)
from sejahtera.web.views import duplicates, exports, imports, welfare

app_name = "web"
urlpatterns = [
    path("", views.family_list, name="family_list"),
    path("search/", views.identity_search, name="identity_search"),
    path("regions/desa-options/", views.desa_options, name="desa_options"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<int:pk>/", views.family_detail, name="family_detail"),
    path("families/<int:pk>/edit/", views.family_edit, name="family_edit"),
    path("families/<int:pk>/members/new/", views.person_add, name="person_add"),
    path("families/<int:pk>/surveys/new/", views.survey_add, name="survey_add"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("exports/families.<slug:fmt>", exports.family_export, name="family_export"),
    path("exports/persons.<slug:fmt>", exports.person_export, name="person_export"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_upload, name="import_upload"),
    path("imports/templates/<slug:kind>.<slug:fmt>", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/report/", imports.import_report, name="import_report"),
    path("duplicates/", duplicates.duplicate_list, name="duplicate_list"),
    path("duplicates/<int:pk>/", duplicates.duplicate_detail, name="duplicate_detail"),
    path("duplicates/<int:pk>/merge/", duplicates.duplicate_merge, name="duplicate_merge"),
    path("duplicates/<int:pk>/distinct/", duplicates.duplicate_distinct, name="duplicate_distinct"),
    path("duplicates/<int:pk>/nik-conflict/", duplicates.nik_conflict_resolve, name="nik_conflict_resolve"),
    path("duplicates/merges/", duplicates.merge_list, name="merge_list"),
    path("duplicates/merges/<int:pk>/undo/", duplicates.merge_undo, name="merge_undo"),
    path("welfare/", welfare.welfare_distribution, name="welfare_distribution"),
    path("welfare/kecamatan/<str:code>/", welfare.welfare_kecamatan, name="welfare_kecamatan"),
    path("welfare/models/", welfare.pmt_model_list, name="pmt_model_list"),
    path("welfare/models/<int:pk>/", welfare.pmt_model_detail, name="pmt_model_detail"),
    path("welfare/models/<int:pk>/activate/", welfare.pmt_model_activate, name="pmt_model_activate"),
    path("assets/plotly.min.js", welfare.plotly_js, name="plotly_js"),
]
for module in (urls_programs, urls_cycles, urls_targeting, urls_portal, urls_employer, urls_careers_staff, urls_training,
               urls_ak1, urls_family_profile, urls_monitoring):
    urlpatterns += module.urlpatterns
