"""Public career-center portal: vacancies, job-seeker and employer accounts (namespace ``web``)."""

urlpatterns = []
