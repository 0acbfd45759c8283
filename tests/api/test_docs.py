import re

import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_endpoints(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        f"{API}/regions/": {"get"},
        f"{API}/regions/{{code}}": {"get"},
        f"{API}/regions/{{code}}/children": {"get"},
        f"{API}/families": {"get"},
        f"{API}/families/{{family_id}}": {"get"},
        f"{API}/persons/{{person_id}}": {"get"},
        f"{API}/persons/lookup": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) == methods, path
    assert {"SessionCookieAuth", "ApiTokenAuth"} <= set(schema["components"]["securitySchemes"])
    assert "security" not in paths[f"{API}/regions/{{code}}"]["get"]
    assert paths[f"{API}/families"]["get"]["security"]
    # The NIK is a request body, never a query or path parameter.
    lookup = paths[f"{API}/persons/lookup"]["post"]
    assert not lookup.get("parameters")
    assert "requestBody" in lookup


def test_docs_page_loads_only_our_own_files(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any(source.endswith("ninja/swagger-ui-bundle.js") for source in sources)
    assert any(source.endswith("ninja/swagger-ui.css") for source in sources)
    for source in sources:
        assert source.startswith("/"), source
        assert not source.startswith("//"), source
    assert "cdn" not in html.lower()
    assert "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html


def test_swagger_files_are_served_by_the_application(client):
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"):
        response = client.get(f"/static/ninja/{name}")
        assert response.status_code == 200, name
        response.close()
