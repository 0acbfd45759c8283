"""Pages of the targeting analytics (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import targeting

urlpatterns = [
    path("targeting/", targeting.targeting_overview, name="targeting_overview"),
    path("targeting/kecamatan/<str:code>/", targeting.targeting_kecamatan, name="targeting_kecamatan"),
    path("targeting/list/", targeting.targeting_list, name="targeting_list"),
    path("targeting/list.<slug:fmt>", targeting.targeting_export, name="targeting_export"),
]
