"""A documentation page for the API, rendered on the server from the OpenAPI schema.

Swagger UI and Redoc load their JavaScript from a CDN, which the content security policy does not allow; this
page needs no script and lists each path, its operations, parameters and request fields. The schema itself
is at /api/schema/ (YAML, or JSON with ?format=json) for tools that read OpenAPI.
"""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if ref:
        return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return node or {}


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            fields = _resolve(schema, body).get("properties", {}) if body else {}
            required = set(_resolve(schema, body).get("required", [])) if body else set()
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary") or operation.get("operationId", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": p.get("schema", {}).get("type", ""),
                            "description": p.get("description", ""),
                            "required": p.get("required", False),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "fields": [
                        {
                            "name": name,
                            "type": spec.get("type", "object"),
                            "required": name in required,
                            "description": spec.get("description", ""),
                        }
                        for name, spec in fields.items()
                        if not spec.get("readOnly")
                    ],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return operations


def api_docs(request: HttpRequest) -> HttpResponse:
    schema = _schema()
    return render(
        request,
        "api/api_docs.html",
        {"info": schema.get("info", {}), "operations": _operations(schema)},
    )
