"""Every field a person's input can be refused on has a name in people's words, in both
languages: a refusal reads `应选名额: 应为整数`, never `seats: …` (issue 11). The fields
are found by walking every request body and query parameter of the API's own document."""

from __future__ import annotations

from app.i18n import CATALOG


def _fields(schema: dict, components: dict, seen: set[str]):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        schema = components[name]
    for key, value in schema.get("properties", {}).items():
        if value.get("readOnly"):
            continue
        yield key
        yield from _fields(value, components, seen)
    for combined in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(combined, []):
            yield from _fields(part, components, seen)
    if "items" in schema:
        yield from _fields(schema["items"], components, seen)


def test_every_input_field_has_a_label_in_both_languages(client):
    spec = client.get("/api/openapi.json").json
    components = spec["components"]["schemas"]
    names: set[str] = set()
    for operations in spec["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            names.update(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")
            for body in operation.get("requestBody", {}).get("content", {}).values():
                names.update(_fields(body["schema"], components, set()))
    assert len(names) > 40  # the walk found the API's fields
    unnamed = sorted(name for name in names
                     if f"field_{name}" not in CATALOG and f"setting_{name}" not in CATALOG)
    assert unnamed == []
    for name in names:
        entry = CATALOG.get(f"field_{name}") or CATALOG[f"setting_{name}"]
        assert entry.get("zh-CN") and entry.get("en"), name


def test_a_refusal_names_the_field_as_people_call_it(client, demo):
    from tests.conftest import sign_in

    sign_in(client, "admin")
    round_id = demo["contest_ids"]["committee"]  # (its round 1; the body is refused first anyway)
    response = client.post(f"/api/rounds/{round_id}/print-jobs", json={"count": "many"})
    assert response.status_code == 422
    assert "张数" in response.json["error"]["message"] and "count" not in response.json["error"]["message"]
