# ruff: noqa: F811  (pytest fixtures imported from test_setup_fixtures are parameters here)
"""Check-in cards: a PDF whose QR codes decode to the delegates' card codes, and the
admin pages that are the secretariat's alone."""

from __future__ import annotations

import pypdfium2
import zxingcpp
from test_setup_fixtures import admin, app, count, db, demo, demo_template, teller  # noqa: F401


def test_cards_pdf_qr_decodes_to_each_card_code_and_retained_members_get_none(admin, demo, db):
    cid = demo["congress_id"]
    response = admin.get(f"/api/congresses/{cid}/cards.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.data)
    assert len(pdf) == 12  # 120 entitled delegates, ten cards a page
    first_page = pdf[0]
    text = first_page.get_textpage().get_text_range()
    assert "青石镇总工会第五次会员代表大会" in text
    image = first_page.render(scale=150 / 72).to_pil()
    decoded = {result.text for result in zxingcpp.read_barcodes(image)}
    assert len(decoded) == 10
    entitled_codes = {row[0] for row in db.execute(
        "SELECT card_code FROM person WHERE congress_id = ? AND entitled = 1", [cid])}
    assert decoded <= entitled_codes
    names = {row[0] for row in db.execute("SELECT name, card_code FROM person")
             if row[1] in decoded}
    assert all(name in text for name in names)


def test_cards_are_for_the_secretariat_only(teller, demo):
    assert teller.get(f"/api/congresses/{demo['congress_id']}/cards.pdf").status_code == 403


def test_admin_pages_redirect_strangers_and_refuse_other_roles(client, teller, admin, demo):
    for path in ("/admin", "/admin/roster", "/admin/attendance", "/admin/contests"):
        assert client.get(path).status_code == 302
        refused = teller.get(path)
        assert refused.status_code == 403 and "仅供大会秘书处使用" in refused.get_data(as_text=True)
        page = admin.get(path)
        assert page.status_code == 200 and "青石镇总工会第五次会员代表大会" in page.get_data(as_text=True)
    assert admin.get("/").location.endswith("/admin")
    assert "Check-in" in admin.get("/admin/attendance?lang=en").get_data(as_text=True)


def test_openapi_documents_the_setup_endpoints(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path in ("/api/congresses", "/api/congresses/{congress_id}/roster",
                 "/api/congresses/{congress_id}/attendance", "/api/congresses/{congress_id}/quorum",
                 "/api/congresses/{congress_id}/contests", "/api/contests/{contest_id}",
                 "/api/contests/{contest_id}/officials", "/api/rounds/{round_id}/open"):
        assert path in paths, path
