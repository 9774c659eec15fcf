"""API errors: every refusal answers with an English `code` and a readable `detail`."""

import copy

import jdatetime
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .errors import DomainError
from .jalali import month_length

# The dates the Jalali calendar (and so every page, history and report) can show.
FIRST_DATE = jdatetime.date(1, 1, 1).togregorian()
LAST_DATE = jdatetime.date(jdatetime.MAXYEAR, 12, month_length(jdatetime.MAXYEAR, 12)).togregorian()


class DateField(serializers.DateField):
    """An ISO date the Jalali calendar can show: year 0360 would be stored and then break
    every page that shows it."""

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not FIRST_DATE <= date <= LAST_DATE:
            raise serializers.ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
                code="date_out_of_range",
            )
        return date


class ModelSerializer(serializers.ModelSerializer):
    """The base of the API's model serializers: dates within the Jalali calendar."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
    }


def api_exception_handler(exc, context):
    """DomainError and model ValidationError become {"code", "detail", "field"} responses."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        code = (exc.error_list[0].code if hasattr(exc, "error_list") else None) or "invalid"
        return Response(
            {"code": code, "detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST
        )
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        detail = response.data.get("detail")
        response.data["code"] = getattr(detail, "code", None) or "invalid"
    return response


# --- the published schema (drf-spectacular postprocessing hook) --------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": "A refusal: a stable English `code`, a readable `detail` (Persian by "
    "default) and, for a form's mistakes, the field named in `field` or each field's "
    "messages under its own name.",
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "detail": {"type": "string"},
        "field": {"type": "string"},
    },
    "required": ["code"],
    "additionalProperties": {},
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERRORS = {
    "400": "The request is not valid: a filter, a period or a field (see `code` and the fields).",
    "403": "Not signed in, or the role does not allow this.",
    "404": "No such record (or page) among those the user may see.",
    "409": "Someone saved the record since `version` was read: nothing was saved.",
}
WRITES = ("post", "put", "patch")


def _error_statuses(method: str, operation: dict) -> list[str]:
    statuses = ["403", "404"]
    asks = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
    if method in WRITES or asks:
        statuses.append("400")
    if method in ("put", "patch"):
        statuses.append("409")
    return statuses


def _require_version(schemas: dict, method: str, operation: dict) -> None:
    """An update names the version it read: `version` is required in PUT and PATCH bodies
    (the create body shares the component, so updates get a copy of their own)."""
    for media in operation.get("requestBody", {}).get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        component = schemas.get(name)
        if component is None or "version" not in component.get("properties", {}):
            continue
        target = name if method == "patch" else f"{name}Update"
        if target not in schemas:
            schemas[target] = copy.deepcopy(component)
        schemas[target]["required"] = sorted({*schemas[target].get("required", []), "version"})
        media["schema"] = {"$ref": f"#/components/schemas/{target}"}


def document_errors(result, generator, request, public):
    """Every operation documents the refusals it can answer with (one shared `Error` body),
    and every update requires the `version` it read."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _error_statuses(method, operation):
                responses.setdefault(
                    code,
                    {
                        "description": ERRORS[code],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
            if method in ("put", "patch"):
                _require_version(schemas, method, operation)
    return result
