"""Disnaker staff pages of the career center: verification, counter registration, placements (namespace ``web``)."""

urlpatterns = []
