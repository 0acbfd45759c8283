"""The family profile: everything a family has received and could still receive (namespace ``web``)."""

urlpatterns = []
