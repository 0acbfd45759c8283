"""Pages of programme cycles: enrolment lists, workflow steps, payment batches (namespace ``web``)."""

urlpatterns = []
