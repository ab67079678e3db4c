"""A real HTTP client signed in to a running server (tests that talk to gunicorn)."""

from __future__ import annotations

import httpx

from tests.conftest import DEMO_PASSWORD


def signed_in_client(url: str, username: str, password: str = DEMO_PASSWORD) -> httpx.Client:
    """An httpx client signed in as `username`, carrying the session's CSRF token."""
    client = httpx.Client(base_url=url, timeout=30)
    token = client.get("/api/session").json()["csrf_token"]
    response = client.post("/api/session", json={"username": username, "password": password},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.text
    client.headers["X-CSRFToken"] = response.json()["csrf_token"]
    return client
