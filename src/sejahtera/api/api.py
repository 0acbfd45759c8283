"""The REST API: gathers each app's router. Documentation at /api/v1/docs."""

from ninja import NinjaAPI

from sejahtera.api.docs import LocalSwagger
from sejahtera.regions.api import router as regions_router
from sejahtera.registry.api import router as registry_router

api = NinjaAPI(
    title="Sejahtera API",
    version="1",
    description=(
        "Regions (public) and the family registry (authenticated: a session or "
        "`Authorization: Bearer <API token>`). Personal records are limited to the user's region "
        "scope; a record outside it answers 404. NIK and No. KK are masked unless the user's role "
        "may see them whole. Look persons up by NIK with POST, so the number never stands in a URL."
    ),
    urls_namespace="api",
    docs=LocalSwagger(),
)
api.add_router("/regions", regions_router)
api.add_router("/", registry_router)
