"""Property-based API test from the OpenAPI schema (schemathesis): no 5xx, documented status codes and
responses that match their schemas. Bounded: a few examples per operation against a real server process."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

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


def test_openapi_fuzz_no_server_errors(server):
    import httpx

    raw = httpx.get(server.url + "/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw)
    t0 = time.monotonic()
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - t0 > BUDGET_S:
            break

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            headers = {"X-API-Key": KEY} if case.path.startswith("/v1") else {}
            response = case.call(base_url=server.url, headers=headers, timeout=30)
            case.validate_response(
                response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
            )

        run()
        checked += 1
    assert checked >= 10
    assert "Traceback" not in server.log_path.read_text()
