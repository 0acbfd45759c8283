"""The Swagger UI page, from the static files of the "ninja" app (never a CDN)."""

import json

from ninja.openapi.docs import Swagger, render_template


class LocalSwagger(Swagger):
    """ninja's Swagger page, always with the CSRF token: the registry routers (not the API as a
    whole) use the session auth, so ninja would otherwise leave it out and "Try it out" of a POST
    with a logged-in session would fail the CSRF check. Swagger UI's online validator (an outside
    host) is switched off."""

    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": True}
        return render_template(request, self.template, self.template_cdn, context)
