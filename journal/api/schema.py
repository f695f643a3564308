"""Document the one error body on every operation of the OpenAPI schema."""

ERROR = {
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "errors": {
            "type": "object",
            "description": "Messages by field (dotted paths for nested fields).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

#: Status codes every operation may answer with the error body, and what they mean.
COMMON = {
    "400": "The request is not valid; see `errors`.",
    "401": "No valid token or session.",
    "403": "Your role, or the token's scope, does not allow this.",
    "404": "No such object, or not one you may see.",
    "429": "Too many requests; slow down.",
}
WRITES = {
    "409": "The object's state does not allow this step now.",
    "413": "The request body is larger than the server accepts.",
    "415": "The body's Content-Type is not one this operation reads.",
    "412": "The object changed since you read it (If-Match).",
    "428": "Send If-Match with the ETag you read.",
}


def add_error_responses(result, generator, request, public):
    """Add the error body and the status codes that use it to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/") or path.startswith("/api/v1/schema"):
            continue
        for method, operation in operations.items():
            codes = dict(COMMON)
            if method in {"post", "put", "patch", "delete"}:
                codes.update(WRITES)
            if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", [])):
                codes["422"] = "The Idempotency-Key was used before with a different request."
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result


EMPTY_VALUE = {"type": "string", "maxLength": 0}


def _is_plain_text(schema: dict) -> bool:
    return schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)


def admit_empty_query_values(result, generator, request, public):
    """Document that an optional query parameter sent empty (`?status=`) counts as left out,
    as the list filters and the pagination read it, so typed parameters admit the empty value."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if (
                    parameter.get("in") != "query"
                    or parameter.get("required")
                    or schema.get("type") == "array"
                    or _is_plain_text(schema)
                ):
                    continue
                parameter["schema"] = {"anyOf": [schema, EMPTY_VALUE]}
                description = parameter.get("description", "")
                parameter["description"] = f"{description} Empty counts as left out.".strip()
    return result
