"""API errors: every refusal answers with an English `code` and a readable `detail`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .errors import DomainError


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
