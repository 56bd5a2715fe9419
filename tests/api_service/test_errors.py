"""Auth, size limit and the problem-details error format on every error path."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.service import create_app

from .conftest import HEADERS


def assert_problem(resp, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == status and body["code"] == code, body
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    return body


def test_health_needs_no_key(client):
    bare = TestClient(client.app)
    assert bare.get("/healthz").json() == {"status": "ok"}
    assert bare.get("/readyz").json() == {"status": "ready"}


def test_missing_key_401(client, instance):
    bare = TestClient(client.app)
    for method, path in (
        ("get", "/v1/rosters"),
        ("get", "/v1/rosters/abc"),
        ("post", "/v1/validate"),
        ("delete", "/v1/rosters/abc"),
        ("get", "/v1/unknown"),
    ):
        assert_problem(getattr(bare, method)(path), 401, "missing_api_key")
    # the key is checked before the body is parsed
    assert_problem(bare.post("/v1/rosters", content=b"{not json"), 401, "missing_api_key")


def test_wrong_key_403(client):
    bare = TestClient(client.app)
    assert_problem(bare.get("/v1/rosters", headers={"X-API-Key": "nope"}), 403, "invalid_api_key")


def test_body_too_large_413(client, instance, settings):
    instance["extensions"] = {"blob": "x" * settings.max_body_bytes}
    assert_problem(client.post("/v1/validate", json={"input": instance}), 413, "payload_too_large")


def test_body_too_large_streamed_413(client, settings):
    def chunks():
        for _ in range(settings.max_body_bytes // 1000 + 2):
            yield b"x" * 1000

    assert_problem(
        client.post("/v1/validate", content=chunks(), headers={**HEADERS, "Content-Type": "application/json"}),
        413,
        "payload_too_large",
    )


def test_malformed_json_400(client):
    body = assert_problem(
        client.post("/v1/rosters", content=b"{bad", headers={"Content-Type": "application/json"}),
        400,
        "malformed_json",
    )
    assert "not valid JSON" in body["detail"]


def test_wrong_content_type_415(client, instance):
    import json

    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        resp = client.post("/v1/validate", content=json.dumps({"input": instance}), headers={"Content-Type": kind})
        assert_problem(resp, 415, "unsupported_media_type")
    ok = client.post(
        "/v1/validate",
        content=json.dumps({"input": instance}),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 200


def test_openapi_documents_problem_json_400_415_and_the_instance_body(client):
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/v1/rosters"]["post"]
    for code in ("400", "401", "403", "413", "415", "422", "429", "503"):
        assert list(post["responses"][code]["content"]) == ["application/problem+json"], code
    for path, op in ((p, o) for p, item in schema["paths"].items() for o in item.values()):
        for code, resp in op["responses"].items():
            if code[0] in "45":
                assert "application/json" not in (resp.get("content") or {}), (path, code)
    comps = schema["components"]["schemas"]
    assert comps["RosterRequest"]["properties"]["input"]["$ref"] == "#/components/schemas/Instance"
    assert comps["RecommendationRequest"]["properties"]["input"]["$ref"] == "#/components/schemas/Instance"
    assert "staff" in comps["Instance"]["properties"]
    example = post["requestBody"]["content"]["application/json"]["examples"]["tiny"]["value"]
    assert client.post("/v1/validate", json=example).json() == {"valid": True, "errors": [], "warnings": []}


def test_request_validation_422(client, instance):
    body = assert_problem(client.post("/v1/rosters", json={"inputs": instance}), 422, "invalid_request")
    codes = {(e["code"], e["loc"]) for e in body["errors"]}
    assert ("missing_field", "body.input") in codes and ("unknown_field", "body.inputs") in codes
    body = assert_problem(
        client.post("/v1/rosters", json={"input": instance, "config": {"run": {"time_limit_s": -1}}}),
        422,
        "invalid_request",
    )
    assert body["errors"][0]["loc"] == "body.config.run.time_limit_s"


def test_server_limits_422(client, instance):
    body = assert_problem(
        client.post("/v1/rosters", json={"input": instance, "config": {"run": {"time_limit_s": 10_000}}}),
        422,
        "invalid_request",
    )
    assert body["errors"][0]["loc"] == "config.run.time_limit_s"


def test_invalid_instance_422_with_coded_errors(client, instance):
    instance["staff"][0]["allowed_shifts"] = ["X"]
    instance["demand"].append({"shift": "Q", "slots": [{"min": 1}]})
    instance["staff"][1]["position_pct"] = 140
    body = assert_problem(client.post("/v1/rosters", json={"input": instance}), 422, "invalid_instance")
    assert {e["code"] for e in body["errors"]} == {"out_of_range"}
    assert body["errors"][0]["loc"] == "input.staff[1].position_pct"
    instance["staff"][1]["position_pct"] = 100
    body = assert_problem(client.post("/v1/rosters", json={"input": instance}), 422, "invalid_instance")
    assert {(e["code"], e["loc"]) for e in body["errors"]} == {
        ("unknown_shift", "input.staff[0].allowed_shifts[0]"),
        ("unknown_shift", "input.demand[3].shift"),
    }


def test_rule_override_errors_422(client, instance):
    body = assert_problem(
        client.post(
            "/v1/rosters",
            json={
                "input": instance,
                "config": {"rules": {"weekly_rest": {"min_hours": 5}, "no_such_rule": {"level": "OFF"}}},
            },
        ),
        422,
        "invalid_instance",
    )
    assert {e["loc"] for e in body["errors"]} == {"input.rules.weekly_rest.min_hours", "input.rules.no_such_rule"}


def test_unknown_job_404(client):
    for path in (
        "/v1/rosters/nope",
        "/v1/rosters/nope/status",
        "/v1/rosters/nope/analysis",
        "/v1/rosters/nope/events",
        "/v1/rosters/" + "x" * 100,
    ):
        assert_problem(client.get(path), 404, "job_not_found")
    assert_problem(client.delete("/v1/rosters/nope"), 404, "job_not_found")
    assert_problem(client.post("/v1/rosters/nope/replan", json={}), 404, "job_not_found")


def test_unknown_route_and_method(client):
    assert_problem(client.get("/v1/nothing"), 404, "not_found")
    assert_problem(client.put("/v1/rosters", json={}), 405, "method_not_allowed")


def test_unexpected_error_is_a_problem_500(client, monkeypatch):
    from api.service import app as app_module

    def boom(*a, **k):
        raise RuntimeError("secret personal detail")

    monkeypatch.setattr(app_module, "prepare", boom)
    raising = TestClient(client.app, headers=HEADERS, raise_server_exceptions=False)
    body = assert_problem(raising.post("/v1/validate", json={"input": {}}), 500, "internal_error")
    assert "secret" not in body["detail"]


def test_bad_paging_422(client):
    assert_problem(client.get("/v1/rosters?limit=0"), 422, "invalid_request")
    assert_problem(client.get("/v1/rosters?status=DONE"), 422, "invalid_request")


def test_openapi_documents_endpoints(client):
    schema = client.get("/openapi.json").json()
    assert "Instance" in schema["components"]["schemas"] and "Roster" in schema["components"]["schemas"]
    assert {
        "/v1/rosters",
        "/v1/rosters/{job_id}/analysis",
        "/v1/recommendations",
        "/v1/validate",
        "/v1/rosters/{job_id}/replan",
        "/v1/rosters/{job_id}/events",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"


def test_docs_public_by_default_and_protectable(client, settings):
    bare = TestClient(client.app)
    assert bare.get("/openapi.json").status_code == 200
    closed = create_app(settings.model_copy(update={"public_docs": False}))
    with TestClient(closed) as c:
        assert_problem(c.get("/openapi.json"), 401, "missing_api_key")
        assert c.get("/openapi.json", headers=HEADERS).status_code == 200
        assert c.get("/healthz").status_code == 200


def test_list_offset_beyond_sqlite_integer_is_422_not_500(client):
    """Found by schemathesis: an offset above SQLite's 64-bit range crashed the list query."""
    resp = client.get("/v1/rosters", params={"offset": 166962295197047195742920245248})
    assert resp.status_code == 422
    assert client.get("/v1/rosters", params={"offset": 2**62}).status_code == 200
