"""The ballot as a union prints it (issue 11): the congress's name and "…选票" in the
header, a page that fits the slate (A5 for a short slate, A4 for a long one), and an
optional 盖章 area clear of everything the reader measures — all from the one layout."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from app.ballots.layout import Entry, ballot_layout
from app.ballots.pdf import render_ballots

CONGRESS = "青石镇总工会第五次会员代表大会"


def _layout(count: int, seats: int, *, stamp: bool = False, title: str = "工会主席") -> dict:
    entries = [Entry(f"c{i}", f"候选人{i:02d}") for i in range(count)]
    return ballot_layout(title=title, round_label="第 1 轮投票", seats=seats, entries=entries,
                         write_in_rows=min(5, seats), congress=CONGRESS, stamp=stamp)


def _overlaps(a: dict, b: dict) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) > max(a["x"], b["x"])
            and min(a["y"] + a["h"], b["y"] + b["h"]) > max(a["y"], b["y"]))


@pytest.mark.parametrize(("count", "seats", "paper"), [(1, 1, "A5"), (3, 3, "A5"), (10, 9, "A4"),
                                                        (60, 50, "A4")])
def test_the_page_fits_the_slate(count, seats, paper):
    layout = _layout(count, seats)
    assert layout["paper"] == paper
    assert layout["page"] == ({"width": 148.0, "height": 210.0} if paper == "A5"
                              else {"width": 210.0, "height": 297.0})
    rows = [c["row"] for c in layout["candidates"]] + [w["row"] for w in layout["write_ins"]]
    page = layout["page"]
    bottom_marks = min(m["y"] for m in layout["marks"] if m["id"].startswith("bottom"))
    for row in rows:  # every row on the page, above the bottom marks, right of the left ones
        assert row["x"] >= 16 and row["x"] + row["w"] <= page["width"] - 16
        assert row["y"] + row["h"] <= bottom_marks
    if paper == "A5":  # and readable: a short slate gets full-height rows
        assert layout["table"]["row_height"] >= 9.5


@pytest.mark.parametrize("count", [1, 10])
def test_the_stamp_area_is_clear_of_everything_the_reader_measures(count):
    plain, stamped = _layout(count, min(count, 9)), _layout(count, min(count, 9), stamp=True)
    assert plain["stamp"] is None
    stamp = stamped["stamp"]
    measured = [stamped["qr"], stamped["code"], *stamped["marks"]]
    for entry in stamped["candidates"] + stamped["write_ins"]:
        measured += [entry["row"], entry["name_area"], *entry["boxes"].values()]
    assert not any(_overlaps(stamp, rect) for rect in measured)
    assert stamp["y"] + stamp["h"] <= min(m["y"] for m in stamped["marks"] if m["id"].startswith("bottom"))


def test_the_printed_header_names_the_congress_and_says_ballot(tmp_path):
    layout = _layout(1, 1, stamp=True)
    out = tmp_path / "ballot.pdf"
    render_ballots(layout, [("QR-TEXT-FOR-TEST", "ABCD-EFGH")], out)
    document = pdfium.PdfDocument(out.read_bytes())
    page = document[0]
    width, height = page.get_size()  # points
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)
    text = page.get_textpage().get_text_range()
    assert CONGRESS in text and "工会主席选票" in text and "（盖章）" in text
    image = page.render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 60
    # A title that already says it is a ballot is not doubled.
    assert _layout(1, 1, title="工会主席选举票")["title"]["text"] == "工会主席选举票"


def test_the_secretariat_sets_place_issuer_and_stamp_and_the_layout_follows(signed_in, demo):
    admin = signed_in("admin")
    response = admin.patch(f"/api/congresses/{demo['congress_id']}",
                           json={"place": "镇文化站", "issuing_body": "大会主席团", "ballot_stamp": True})
    assert response.status_code == 200, response.json
    assert (response.json["place"], response.json["issuing_body"], response.json["ballot_stamp"]) == (
        "镇文化站", "大会主席团", True)
    layout = admin.get("/api/rounds/1/layout").json
    assert layout["stamp"] is not None and layout["congress"]["text"] == "青石镇总工会第五次会员代表大会"
    assert layout["title"]["text"].endswith("选票")


def test_the_reader_reads_an_a5_ballot_with_a_stamp_area():
    """The reader takes every position from the layout, so the smaller page reads as well."""
    import io

    from PIL import ImageDraw

    from app.ballots.serials import new_serial, sign
    from app.scan.reader import read_ballot

    key = "k" * 64
    layout = _layout(1, 1, stamp=True)
    assert layout["paper"] == "A5"
    payload = sign(key, 3, 7, new_serial())
    pdf = io.BytesIO()
    render_ballots(layout, [(payload.text(), "ABCD-EFGH")], pdf)
    ppm = 200 / 25.4
    image = pdfium.PdfDocument(pdf.getvalue())[0].render(scale=200 / 72).to_pil().convert("RGB")
    box = layout["candidates"][0]["boxes"]["yes"]  # a cross in 赞成
    x0, y0, x1, y1 = (box["x"] * ppm + 8, box["y"] * ppm + 8, (box["x"] + box["w"]) * ppm - 8,
                      (box["y"] + box["h"]) * ppm - 8)
    draw = ImageDraw.Draw(image)
    draw.line([(x0, y0), (x1, y1)], fill="black", width=6)
    draw.line([(x0, y1), (x1, y0)], fill="black", width=6)
    photo = io.BytesIO()
    image.save(photo, "JPEG", quality=90)
    result = read_ballot(photo.getvalue(), key=key, layout_for=lambda _payload: layout,
                         max_bytes=10**8, max_pixels=10**8)
    assert result["marks"] == {layout["candidates"][0]["ref"]: "yes"} and result["serial"] == payload.serial
