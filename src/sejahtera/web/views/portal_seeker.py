"""The job seeker's own pages. Every read goes through a selector that takes the user."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def portal_dashboard(request):
    raise Http404


portal_profile = portal_applications = portal_notifications = portal_dashboard


@login_required
def portal_application(request, pk: int):
    raise Http404


portal_apply = portal_application
