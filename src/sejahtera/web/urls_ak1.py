"""The AK/1 card PDF for the seeker and for Disnaker staff (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import ak1

urlpatterns = [
    path("kerja/saya/ak1.pdf", ak1.ak1_card, name="ak1_card"),
    path("staff/pencari-kerja/<int:pk>/ak1.pdf", ak1.ak1_card_staff, name="ak1_card_staff"),
]
