"""Documenting an endpoint's refusals: every one has the same body (schemas/common.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_smorest import Blueprint

from schemas.common import ApiErrorSchema


def error_responses(bp: Blueprint, *statuses: int) -> Callable[[Any], Any]:
    """`@error_responses(bp, 401, 403, 404)`: the OpenAPI document lists each status with
    the error body, so clients and the fuzz test know what a refusal looks like."""

    def decorate(view: Any) -> Any:
        for status in reversed(statuses):
            view = bp.alt_response(status, schema=ApiErrorSchema)(view)
        return view

    return decorate
