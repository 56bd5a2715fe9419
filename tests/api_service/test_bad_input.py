"""Bad input over HTTP (issue 18, item 7): a coded 4xx problem body, never a 500, checked before long work."""

from __future__ import annotations

from .conftest import tiny_instance


def _problem(resp, status, code):
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["code"] == code, body
    return body


def _deep(n):
    out = cur = {}
    for _ in range(n):
        cur["a"] = {}
        cur = cur["a"]
    return out


def test_absence_ending_9999_12_31_is_accepted(client):
    inst = tiny_instance()
    inst["staff"][0]["absences"] = [{"start_date": "2027-01-05", "end_date": "9999-12-31", "kind": "sick"}]
    assert client.post("/v1/validate", json={"input": inst}).json()["valid"] is True
    inst["assignments"] = []
    assert client.post("/v1/rosters?operation=score", json={"input": inst}).status_code == 201


def test_period_in_late_9999_is_a_coded_error(client):
    inst = tiny_instance()
    inst["period"]["start"] = "9999-12-20"
    body = _problem(client.post("/v1/rosters", json={"input": inst}), 422, "invalid_instance")
    assert body["errors"][0]["code"] == "out_of_range" and body["errors"][0]["loc"] == "input.period.start"


def test_rules_nested_600_deep_is_422_not_500(client):
    for path in ("/v1/validate", "/v1/rosters"):
        body = _problem(
            client.post(path, json={"input": tiny_instance(), "config": {"rules": {"x": _deep(600)}}}),
            422,
            "invalid_request",
        )
        assert body["errors"][0]["code"] == "too_deep" and body["errors"][0]["loc"].startswith("config.rules.x")
    inst = tiny_instance()
    inst["extensions"] = _deep(100)
    _problem(client.post("/v1/validate", json={"input": inst}), 422, "invalid_request")


def test_nul_characters_are_422(client):
    inst = tiny_instance()
    inst["staff"][0]["id"] = "s\x001"
    body = _problem(client.post("/v1/rosters", json={"input": inst}), 422, "invalid_request")
    assert body["errors"][0] == {
        "code": "invalid_character",
        "loc": "input.staff[0].id",
        "message": "the text contains a NUL character",
    }
    resp = client.post("/v1/rosters", json={"input": tiny_instance(), "config": {"run": {"name": "a\x00b"}}})
    _problem(resp, 422, "invalid_request")
    _problem(client.get("/v1/rosters/ab%00cd"), 404, "job_not_found")


def test_body_shorter_than_its_content_length_times_out_408(client, settings):
    import anyio

    from api.service.app import Guard

    async def scenario():
        sent = []

        async def app(scope, receive, send):  # never reached
            raise AssertionError("the app must not see an incomplete body")

        guard = Guard(app, settings.model_copy(update={"body_timeout_s": 0.3}), {})
        scope = {"type": "http", "method": "POST", "path": "/healthz", "headers": [(b"content-length", b"1000")]}
        messages = [{"type": "http.request", "body": b"{", "more_body": True}]

        async def receive():
            if messages:
                return messages.pop()
            await anyio.sleep(60)  # the rest never comes

        async def send(message):
            sent.append(message)

        with anyio.fail_after(10):
            await guard(scope, receive, send)
        return sent

    sent = anyio.run(scenario)
    assert sent[0]["status"] == 408
