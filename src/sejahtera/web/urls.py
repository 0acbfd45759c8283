from django.urls import path

from sejahtera.web import views

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
]
