"""The OpenAPI document as a plain dict, the same one /api/v1/openapi.json serves."""

from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


def generate_schema() -> dict[str, Any]:
    """Return the API's OpenAPI 3 document, normalised through the JSON renderer."""
    import json

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))
