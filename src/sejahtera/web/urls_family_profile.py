"""The family profile: everything a family has received and could still receive (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import family_profile

urlpatterns = [
    path("families/<int:pk>/profile/", family_profile.family_profile, name="family_profile"),
    path("families/<int:pk>/profile/propose/", family_profile.family_profile_propose, name="family_profile_propose"),
]
