"""Property-based API test from the OpenAPI schema (schemathesis): no 5xx, documented status codes, content types
(problem+json for errors) and responses that match their schemas. Bounded: a few examples per operation against
a real server process. The request bodies name the real Instance schema (and carry an example), so generated
submits get past the request model into instance validation, and some are queued for the solver."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .server_proc import ServerProc

KEY = "schema-key"
MAX_EXAMPLES = 12
BUDGET_S = 50


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ServerProc(
        tmp_path_factory.mktemp("schemathesis"),
        KEY,
        TURNUS_MAX_TIME_LIMIT_S="1",
        TURNUS_QUEUE_SIZE="2",
        TURNUS_MAX_WORKERS="1",
    ).start()
    yield srv
    srv.stop()


CORE = ("/v1/rosters", "/v1/validate", "/v1/recommendations")  # fuzzed first, whatever else the app mounts


def test_openapi_fuzz_no_server_errors(server):
    import httpx

    raw = httpx.get(server.url + "/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw)
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (not op.path.startswith(CORE), op.path, op.method),
    )
    t0 = time.monotonic()
    checked = 0
    seen: dict[tuple[str, str], set[int]] = {}

    def check(case) -> None:
        headers = {"X-API-Key": KEY} if case.path.startswith("/v1") else {}
        response = case.call(base_url=server.url, headers=headers, timeout=30)
        seen.setdefault((case.method.upper(), case.path), set()).add(response.status_code)
        case.validate_response(
            response,
            checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        )

    for operation in operations:
        if time.monotonic() - t0 > BUDGET_S:
            break
        # the documented examples first (a valid unit: it reaches the solver), then generated cases
        content = (
            (raw["paths"][operation.path][operation.method.lower()].get("requestBody") or {}).get("content")
        ) or {}
        for example in (content.get("application/json") or {}).get("examples", {}).values():
            check(operation.Case(body=example["value"], media_type="application/json"))

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            check(case)

        run()
        checked += 1
    assert checked >= 10
    submits = seen.get(("POST", "/v1/rosters"), set())
    assert submits & {201, 202}, f"no submit reached the solver or the checker: {sorted(submits)}"
    assert seen.get(("POST", "/v1/validate"), set()) & {200}
    assert "Traceback" not in server.log_path.read_text()
