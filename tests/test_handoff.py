"""The hand-off client rides out a busy Prefect server (503s), and stops retrying in time."""

from __future__ import annotations

import httpx
import pytest

import flows.handoff as handoff


def _client(answers: list[int], calls: list[str]) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        status = answers.pop(0) if answers else 201
        return httpx.Response(status, json={"id": "run-1"})

    return httpx.Client(base_url="http://prefect.test/api",
                        transport=httpx.MockTransport(answer))


def test_a_busy_server_is_asked_again(monkeypatch):
    monkeypatch.setattr(handoff, "RETRY_PAUSES_S", (0.0, 0.0, 0.0))
    calls: list[str] = []
    response = handoff._request(_client([503, 503], calls), "POST",
                                "/deployments/d/create_flow_run")
    assert response.json() == {"id": "run-1"} and len(calls) == 3


def test_a_server_that_stays_busy_is_an_error(monkeypatch):
    monkeypatch.setattr(handoff, "RETRY_PAUSES_S", (0.0, 0.0))
    calls: list[str] = []
    with pytest.raises(httpx.HTTPStatusError, match="503"):
        handoff._request(_client([503] * 5, calls), "GET", "/flow_runs/x")
    assert len(calls) == 3  # the first try and one per pause


def test_a_refusal_is_not_retried(monkeypatch):
    monkeypatch.setattr(handoff, "RETRY_PAUSES_S", (0.0, 0.0))
    calls: list[str] = []
    with pytest.raises(httpx.HTTPStatusError, match="404"):
        handoff._request(_client([404], calls), "GET", "/flow_runs/x")
    assert len(calls) == 1
