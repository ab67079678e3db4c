"""The printed ballot: render pages of the real PDF to images (pypdfium2), read their QR
codes back (zxing-cpp), and check what they say and that the page follows the layout."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from app.ballots.issue import check_ballot
from app.ballots.layout import Entry, ballot_layout
from app.ballots.pdf import render_ballots
from app.ballots.printing import print_ballots
from app.ballots.round_layout import layout_digest, round_layout
from app.ballots.serials import new_serial, parse_and_verify, sign
from app.rules import sort_by_name
from tests import test_ballots_support as support

ballot_template, ballot_hall = support.ballot_template, support.ballot_hall  # shared fixtures

DPI = 150


def page_image(pdf: pdfium.PdfDocument, index: int) -> np.ndarray:
    """One page as a grey-scale image at DPI."""
    bitmap = pdf[index].render(scale=DPI / 72, grayscale=True)
    return np.asarray(bitmap.to_pil().convert("L"))


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def region(image: np.ndarray, rect: dict[str, float], inset: float = 0.0) -> np.ndarray:
    return image[px(rect["y"] + inset):px(rect["y"] + rect["h"] - inset),
                 px(rect["x"] + inset):px(rect["x"] + rect["w"] - inset)]


def qr_texts(image: np.ndarray) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)
            if result.format == zxingcpp.BarcodeFormat.QRCode]


def test_each_printed_page_carries_a_qr_that_verifies_for_its_contest_and_round(ballot_hall, tmp_path):
    db, rid = ballot_hall.db(), ballot_hall.rounds["committee"]
    contest_id = ballot_hall.demo["contest_ids"]["committee"]
    out = tmp_path / "ballots.pdf"
    seen = []
    printed = print_ballots(db, rid, 3, out, key=ballot_hall.key, actor="test",
                            progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3) and [done for done, _ in seen[:3]] == [1, 2, 3]
    pdf = pdfium.PdfDocument(out)
    assert len(pdf) == 3
    layout = round_layout(db, rid)
    serials = set()
    for index in range(3):
        image = page_image(pdf, index)
        texts = qr_texts(image)
        assert len(texts) == 1, f"page {index + 1}: {texts}"
        payload = parse_and_verify(ballot_hall.key, texts[0])
        assert (payload.contest_id, payload.round_id) == (contest_id, rid)
        assert check_ballot(db, ballot_hall.key, payload_text=texts[0], round_id=rid) == payload.serial
        # The short code printed beside the QR is the same serial, as text a person can type.
        assert payload.serial in pdf[index].get_textpage().get_text_range()
        serials.add(payload.serial)
    assert serials == {row[0] for row in db.execute(
        "SELECT serial FROM ballot_serial WHERE round_id = ? AND batch = ?", [rid, printed.batch])}
    assert db.execute("SELECT layout_sha256 FROM ballot_batch WHERE round_id = ?",
                      [rid]).fetchone()[0] == layout_digest(layout)


def test_the_page_follows_the_layout_marks_boxes_and_names_in_stroke_order(ballot_hall, tmp_path):
    db, rid = ballot_hall.db(), ballot_hall.rounds["committee"]
    out = tmp_path / "b.pdf"
    print_ballots(db, rid, 1, out, key=ballot_hall.key, actor="test")
    layout = round_layout(db, rid)
    image = page_image(pdfium.PdfDocument(out), 0)
    for mark in layout["marks"]:  # the four solid alignment squares
        assert region(image, mark, inset=0.5).mean() < 40, mark["id"]
    for candidate in layout["candidates"]:  # each box is an empty square with an inked outline
        for box in candidate["boxes"].values():
            assert region(image, box, inset=0.8).mean() > 240
            edge = image[px(box["y"]):px(box["y"] + box["h"]), px(box["x"]) - 1:px(box["x"]) + 2]
            assert edge.min() < 100
    names = [candidate["name"] for candidate in layout["candidates"]]
    assert names == [entry.name for entry in sort_by_name(
        [Entry(c["ref"], c["name"]) for c in layout["candidates"]], lambda e: e.name)]
    text = pdfium.PdfDocument(out)[0].get_textpage().get_text_range()
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions), "names are printed in R9 order, top to bottom"
    for word in ("赞成", "不赞成", "另选他人", layout["title"]["text"], "本项应选 9 名"):
        assert word in text


def test_the_cjk_font_is_embedded_as_a_subset(ballot_hall, tmp_path):
    out = tmp_path / "b.pdf"
    print_ballots(ballot_hall.db(), ballot_hall.rounds["committee"], 1, out, key=ballot_hall.key,
                  actor="test")
    data = out.read_bytes()
    assert b"/FontFile" in data  # FontFile2 (TrueType) or FontFile3 (CFF): the glyphs travel along
    assert b"+NotoSansCJKSC" in data or b"+WenQuanYiZenHei" in data  # "ABCDEF+" marks a subset
    assert len(data) < 400_000


def synthetic_layout(candidates: int, write_ins: int) -> dict:
    names = ["王伟", "李娜", "张秀英", "刘强", "陈静", "杨洋", "黄勇", "赵艳", "吴杰", "周娟"]
    entries = [Entry(f"c{i}", names[i % 10] + "一二三四五六七八九十"[i // 10 % 10] * (i // 10),
                     "镇卫生院" if i % 7 == 0 else "") for i in range(candidates)]
    layout = ballot_layout(title="测试选举票", round_label="第 1 轮投票", seats=5, entries=entries,
                           write_in_rows=write_ins)
    return {**layout, "contest_id": 3, "round_id": 4}


def test_sixty_candidates_and_five_write_in_rows_fit_one_page_and_still_read(tmp_path):
    layout = synthetic_layout(60, 5)
    payload = sign("k", 3, 4, new_serial())
    out = tmp_path / "full.pdf"
    render_ballots(layout, [(payload.text(), payload.serial)], out)
    pdf = pdfium.PdfDocument(out)
    assert len(pdf) == 1
    image = page_image(pdf, 0)
    assert qr_texts(image) == [payload.text()]
    last = layout["write_ins"][-1]["row"]
    assert last["y"] + last["h"] < layout["marks"][2]["y"], "the table stays above the bottom marks"
    for write_in in layout["write_ins"]:
        assert region(image, write_in["boxes"]["yes"], inset=0.8).mean() > 240


def test_a_reused_static_page_looks_exactly_like_one_drawn_in_full():
    """The fast path pastes page 1's static drawing onto later pages; it must give the very
    same page as drawing everything again."""
    layout = synthetic_layout(12, 3)
    ballots = [(sign("k", 3, 4, serial).text(), serial) for serial in (new_serial(), new_serial())]
    fast, slow = io.BytesIO(), io.BytesIO()
    render_ballots(layout, ballots, fast)
    render_ballots(layout, ballots, slow, reuse_static=False)
    fast_pdf, slow_pdf = pdfium.PdfDocument(fast.getvalue()), pdfium.PdfDocument(slow.getvalue())
    assert np.array_equal(page_image(fast_pdf, 1), page_image(slow_pdf, 1))
    assert not np.array_equal(page_image(fast_pdf, 0), page_image(fast_pdf, 1))  # QRs differ
    assert fast_pdf[1].get_textpage().get_text_range() == slow_pdf[1].get_textpage().get_text_range()


def test_a_layout_with_no_room_is_refused_before_drawing():
    with pytest.raises(ValueError):
        synthetic_layout(61, 5)
    with pytest.raises(ValueError):
        synthetic_layout(10, 6)

