"""The whole API fuzzed against its own published schema (schemathesis), as a provincial
expert and as a provincial manager: no request may answer 5xx, and every answer must be
one the schema documents (status code, content type, body). Bounded so that it stays a small
share of `make test`: a fixed number of generated requests per operation and mode, with a
fixed seed (docs/testing.md says why and how)."""

import logging
import os
import secrets
import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import load_all_checks, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shahrak.accounts.models import AuditEntry, User
from shahrak.parks.models import InfrastructureProject, Park, ParkSection, Plot
from shahrak.places.models import County
from shahrak.support.models import Application, Payment, Program, ProgramBudget
from shahrak.units.models import Unit
from tests.harness import PROVINCES, SAMPLES, sample_park

pytestmark = pytest.mark.django_db

# Generated requests per API operation, per generation mode (valid and invalid input).
MAX_EXAMPLES = 10
SEED = 1405
ROLES = ("bushehr-expert", "yazd-manager")
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The records behind each route (path prefix → model), and the related ids a body names.
ROUTES = {
    "audit-entries": AuditEntry,
    "infrastructure-projects": InfrastructureProject,
    "parks": Park,
    "plots": Plot,
    "units": Unit,
    "users": User,
    "support-programs": Program,
    "support-budgets": ProgramBudget,
    "support-applications": Application,
    "support-payments": Payment,
}
RELATED = {"county": County, "park": Park, "plot": Plot, "section": ParkSection,
           "program": Program, "unit": Unit}  # fmt: skip


@pytest.fixture
def records(people):
    """A sample of every scoped model in both provinces, and a section in each park."""
    for code in PROVINCES:
        for make in SAMPLES.values():
            make(code)
        ParkSection.objects.get_or_create(
            park=sample_park(code), name=f"section-{code}", defaults={"area_ha": 10}
        )


# Replaced, when the request is sent, by the version the record then holds.
VERSION_READ = -1405


def read_version(case) -> None:
    if isinstance(case.body, dict) and case.body.get("version") == VERSION_READ:
        model = ROUTES[case.operation.path.removeprefix("/api/v1/").split("/")[0]]
        record = model.objects.filter(pk=case.path_parameters["id"]).first()
        case.body = {**case.body, "version": record.version if record else 1}


def ids_of(model) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:20])


def with_records(operation, strategy):
    """Half the generated requests name records that exist (the user's and the other
    province's): random ids alone would almost never reach a record or pass validation."""
    prefix = operation.path.removeprefix("/api/v1/").split("/")[0]
    model = ROUTES.get(prefix)
    path_ids = st.sampled_from(ids_of(model)) if model and "{id}" in operation.path else st.none()
    related = st.fixed_dictionaries(
        {name: st.sampled_from(ids_of(m)) for name, m in RELATED.items()}
    )

    def named(drawn):
        case, use, pk, chosen = drawn
        if not use:
            return case
        if pk is not None:
            case.path_parameters = {**(case.path_parameters or {}), "id": pk}
        if isinstance(case.body, dict):
            case.body = {**case.body, **{k: v for k, v in chosen.items() if k in case.body}}
            if "version" in case.body and model is not None and pk is not None:
                # An update that read the record: the version it holds when sent.
                case.body["version"] = VERSION_READ
        return case

    return st.tuples(strategy, st.booleans(), path_ids, related).map(named)


@pytest.fixture
def wsgi_app(caplog):
    """Django's own WSGI application, in this test's database transaction: the signals that
    would close the connection between requests are held off (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    caplog.set_level(logging.ERROR, logger="django.request")  # 4xx are expected, 5xx fail
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def signed_in(client, user) -> tuple[dict, dict]:
    """Cookies and headers of `user`'s session, with a CSRF token for writes."""
    client.force_login(user)
    token = secrets.token_hex(16)
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: token,
    }
    return cookies, {"X-CSRFToken": token}


def published_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def fuzz(operation, mode, send, failures: dict) -> int:
    """Send MAX_EXAMPLES generated requests of `operation` (seeded); collect each distinct
    failure once. Returns the number of requests sent."""
    sent = 0
    strategy = with_records(operation, operation.as_strategy(generation_mode=mode))

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=strategy)
    def check(case):
        nonlocal sent
        sent += 1
        try:
            send(case)
        except FailureGroup as group:
            for failure in group.exceptions:
                failures.setdefault((operation.label, failure.title), f"[{mode}] {group}")

    hypothesis.seed(SEED)(check)()
    return sent


@pytest.mark.parametrize("username", ROLES)
def test_the_api_answers_as_its_schema_says(client, people, records, wsgi_app, username):
    load_all_checks()
    schema = schemathesis.openapi.from_dict(published_schema())
    cookies, headers = signed_in(client, people[username])

    answered = Counter()

    def send(case):
        # A request that fails in the database (a 500) must not abort the test's transaction
        # for the requests after it (PostgreSQL would refuse them all).
        savepoint = transaction.savepoint()
        read_version(case)
        response = case.call(app=wsgi_app, cookies=cookies, headers=headers)
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        answered[response.status_code // 100 * 100] += 1
        if response.status_code < 300:
            answered[case.operation.label] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    operations = [result.ok() for result in schema.get_all_operations()]
    # SHAHRAK_FUZZ_ONLY=/api/v1/support- fuzzes only the operations under that path (a helper
    # checking its own routes); the suite runs them all.
    if only := os.environ.get("SHAHRAK_FUZZ_ONLY"):
        operations = [op for op in operations if op.path.startswith(only)]
    failures: dict = {}
    started = time.monotonic()
    sent = sum(fuzz(operation, mode, send, failures) for operation in operations for mode in MODES)
    elapsed = time.monotonic() - started
    print(f"{username}: {len(operations)} operations, {sent} requests, {elapsed:.1f} s, {answered}")
    assert not failures, "\n\n".join(failures.values())


def test_updates_require_their_version_and_every_refusal_is_documented():
    schema = published_schema()
    components = schema["components"]["schemas"]

    def body(operation) -> dict:
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return components[ref.rsplit("/", 1)[-1]]

    updates = 0
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            assert {"403", "404"} <= set(operation["responses"])
            if method == "post":
                assert "400" in operation["responses"]
                assert "version" not in body(operation).get("required", [])
            if method in ("put", "patch"):
                updates += 1
                assert {"400", "409"} <= set(operation["responses"])
                assert "version" in body(operation)["required"]
    assert updates == 8  # units, parks, projects and support programs: PUT and PATCH
    error = components["Error"]
    assert error["required"] == ["code"] and "detail" in error["properties"]
