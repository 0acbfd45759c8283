"""The REST API: gathers each app's router. Documentation at /api/v1/docs."""

from ninja import NinjaAPI

from sejahtera.api.docs import LocalSwagger
from sejahtera.programs.api import router as programmes_router
from sejahtera.regions.api import router as regions_router
from sejahtera.registry.api import router as registry_router

api = NinjaAPI(
    title="Sejahtera API",
    version="1",
    description=(
        "Regions (public), the family registry and the social programmes (authenticated: a session or "
        "`Authorization: Bearer <API token>`). Personal records are limited to the user's region "
        "scope; a record outside it answers 404. NIK and No. KK are masked unless the user's role "
        "may see them whole. Look persons up by NIK with POST, so the number never stands in a URL. "
        "Programmes: the catalogue with its eligibility rules (check and preview a rule, save and "
        "publish drafts), cycles (create, open, close, with quota, budget and status counts) and "
        "enrolments (list, one, the workflow steps one at a time or in bulk). A step the user may not "
        "take answers 403; one the record's status, the quota or the budget does not allow, 422."
    ),
    urls_namespace="api",
    docs=LocalSwagger(),
)
api.add_router("/regions", regions_router)
api.add_router("/", registry_router)
api.add_router("/", programmes_router)
api.add_router("/monitoring", "sejahtera.monitoring.api.router")
