"""The service answers /api/health, in-process and as a real gunicorn server."""

import httpx


def test_health_answers_ok_with_schema_version(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["schema_version"] >= 1


def test_unknown_api_path_is_json_404_in_chinese(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert "找不到" in response.json["error"]["message"]


def test_english_on_request(client):
    response = client.get("/api/no-such-thing?lang=en")
    assert response.json["error"]["message"] == "Not found."


def test_real_server_serves_health_and_demo(live_server):
    response = httpx.get(f"{live_server.url}/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert set(live_server.demo["contest_ids"]) == {"committee", "audit_committee", "chair"}
