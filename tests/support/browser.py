"""Signing a person in through the sign-in page, as they would (the browser tests)."""

from __future__ import annotations

import re

from tests.conftest import DEMO_PASSWORD

AWAY_FROM_SIGN_IN = re.compile(r"^(?!.*/login).*$")


def sign_in(page, base_url: str, username: str, lands_on: str | re.Pattern = AWAY_FROM_SIGN_IN,
            password: str = DEMO_PASSWORD) -> None:
    """Open the sign-in page, type the name and password, press the button, and wait for
    the page the person lands on (`lands_on`: a glob such as "**/teller", or a pattern)."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lands_on)
