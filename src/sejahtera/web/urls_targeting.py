"""Pages of the targeting analytics (namespace ``web``)."""

urlpatterns = []
