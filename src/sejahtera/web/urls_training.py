"""BLK training pages: courses, batches, selection, attendance, certificates (namespace ``web``)."""

urlpatterns = []
