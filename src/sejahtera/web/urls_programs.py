"""Pages of the programme engine: catalogue, rules, cycles, enrolments, payments (namespace ``web``)."""

urlpatterns = []
