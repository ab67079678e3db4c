"""The hall board picks its congress as every other page does (issue 11): ?congress=,
else the congress remembered from the switcher, else the newest one not archived."""

from __future__ import annotations

import re

from conftest import sign_in


def board_congress(client, query: str = "") -> str:
    html = client.get(f"/board{query}").get_data(as_text=True)
    return re.search(r'id="board" data-congress="([^"]*)"', html).group(1)


def test_the_board_follows_the_chosen_congress(app, client, demo):
    sign_in(client, "admin")
    newer = client.post("/api/congresses", json={
        "name": "另一次大会", "kind": "renewal", "assembly": "members", "members": 30}).json["id"]
    demo_id = str(demo["congress_id"])
    # The switcher's choice (a page visited with ?congress=) is remembered for the board too.
    client.get(f"/admin?congress={demo_id}")
    assert board_congress(client) == demo_id
    hall = app.test_client()  # the hall's screen: nobody signed in, nothing remembered
    assert board_congress(hall) == str(newer)
    assert board_congress(hall, f"?congress={demo_id}") == demo_id
    assert board_congress(hall) == demo_id  # and the screen keeps it
    # Unasked, an archived congress is not the default: the newest open one is.
    client.post(f"/api/congresses/{newer}/archive", json={"archived": True})
    assert board_congress(app.test_client()) == demo_id
    # A congress that does not exist is never shown: the default is.
    assert board_congress(app.test_client(), "?congress=999999") == demo_id


def test_a_rounds_close_page_works_on_that_rounds_congress(app, client, demo):
    """Opened from a link while another congress is chosen, the close page switches the
    chosen congress to the round's own, so the top bar names the congress it is about."""
    sign_in(client, "admin")
    other = client.post("/api/congresses", json={
        "name": "另一次大会", "kind": "renewal", "assembly": "members", "members": 30}).json["id"]
    client.get(f"/admin?congress={other}")
    round_id = _first_round(app, demo)
    page = client.get(f"/board/rounds/{round_id}/close?lang=en")
    assert page.status_code == 200
    assert re.search(rf'<option value="{demo["congress_id"]}" selected>', page.get_data(as_text=True))
    assert any(c.startswith(f"congress={demo['congress_id']};") for c in page.headers.getlist("Set-Cookie"))
    # …and the next plain page works on it too.
    assert board_congress(client) == str(demo["congress_id"])


def _first_round(app, demo) -> int:
    from app.db import get_db

    with app.app_context():
        return get_db().execute("SELECT r.id FROM round r JOIN contest c ON c.id = r.contest_id"
                                " WHERE c.congress_id = ? ORDER BY r.id LIMIT 1",
                                [demo["congress_id"]]).fetchone()[0]
