"""schemathesis against /api/openapi.json: generated requests (valid and not) to every
operation, signed in as the secretariat; no 5xx, and every response fits its schema.

(schemathesis' own pytest plugin does not load under pytest 9, so each operation's
strategy is driven here with hypothesis directly.)
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from conftest import sign_in
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("fuzz-instance")
    previous = os.environ.get("UNION_INSTANCE_DIR")
    os.environ["UNION_INSTANCE_DIR"] = str(instance)
    from app import create_app
    from app.db import get_db
    from app.demo import create_demo

    application = create_app({"TESTING": True, "LOGIN_RATE_LIMIT": "100000 per minute"})
    with application.app_context():
        create_demo(get_db())
    yield application
    if previous is None:
        os.environ.pop("UNION_INSTANCE_DIR", None)
    else:
        os.environ["UNION_INSTANCE_DIR"] = previous


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/session" and operation.method.upper() in ("POST", "DELETE"):
            continue  # signing in or out would only change who the later cases are
        found.append(operation)
    return found


def test_every_operation_survives_generated_requests(fuzz_app):
    client = fuzz_app.test_client()
    token = sign_in(client, "admin")
    auth = {"headers": {"X-CSRFToken": token}, "cookies": {"session": client.get_cookie("session").value}}
    ops = operations(fuzz_app)
    assert len(ops) >= 20
    failures = []
    for operation in ops:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers=auth["headers"], cookies=auth["cookies"])
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                     status_code_conformance])

        try:
            check()
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:600]}")
    assert failures == [], "\n\n".join(failures)
