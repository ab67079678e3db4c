"""The teller page with a live camera over HTTPS (issue 12), in headless Chromium whose
camera is a filmed stack of real printed, hand-marked, photographed ballots
(scripts/bench_teller.py films it): sheets captured by themselves one after another, a
correction, a rescan told before confirming, and the offline queue with capture. Also
the HTTPS server as the README starts it, its certificate covering the LAN addresses."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys

import bench_teller
import httpx
import pytest
from cryptography import x509

from app.security import tls

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """An HTTPS server with the committee's round open, and a video of sheets S1, S2, S1
    again (a rescan of the same paper), S3, S4, each still 3.5 s (time for the test's own
    clicks on a loaded machine)."""
    work = tmp_path_factory.mktemp("teller-camera")
    instance = work / "instance"
    instance.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UNION_INSTANCE_DIR", str(instance))
        inst = bench_teller.prepare(instance, 4)
    from app.ballots.serials import sign

    s1, s2, s3, s4 = inst.serials
    order = [s1, s2, s1, s3, s4]
    payloads = [(s, sign(inst.key, inst.contest_id, inst.round_id, s).text()) for s in order]
    video = work / "stack.y4m"
    sheets = bench_teller.film_stack(video, inst.layout, payloads, inst.contest_id, inst.round_id,
                                     size=(960, 1280), fps=5, still_s=3.5, move_s=0.8, lead_s=1.0,
                                     tail_s=1.0, seed=3)
    bench_teller.start_https(inst)
    yield inst, video, {s.serial: s for s in sheets}
    bench_teller.stop(inst)


def db_rows(inst, sql, params=()):
    from app.store import connect

    db = connect(inst.instance / "union.sqlite3")
    try:
        return db.execute(sql, list(params)).fetchall()
    finally:
        db.close()


def fix_to_truth(page, sheet) -> None:
    """What a careful teller does: each unsure or misread row tapped to what the paper says,
    each written-in name typed."""
    for ref, meant in sheet.truth.marks.items():
        want = meant if meant in ("yes", "no", "abstain") else "unreadable"
        row = page.locator(f"#marks tr[data-ref='{ref}']")
        on = row.locator("button.on")
        if "unsure" in (row.get_attribute("class") or "") or on.count() == 0 or \
                on.get_attribute("data-mark") != want:
            row.locator(f"button[data-mark='{want}']").click()
    named = [w for w in sheet.truth.write_ins if w.get("has_name")]
    for index, row in enumerate(page.locator("#write-ins .write-in").all()):
        wanted = index < len(named)  # a name written with its ○; any other row shown is empty
        if wanted:
            row.locator("input").fill(bench_teller.WRITTEN_NAMES[index])
        button = row.locator("button")
        # One tap turns an unsure row to approve, a second to none (app/web/static/teller.js).
        if "unsure" in (row.get_attribute("class") or ""):
            button.click()
        if (button.get_attribute("aria-pressed") == "true") != wanted:
            button.click()


def next_sheet(page, serial: str) -> None:
    try:
        page.wait_for_function(f"!document.querySelector('#ballot-card').hidden && "
                               f"document.querySelector('#ballot-label').textContent === '{serial}'",
                               timeout=20_000)
    except Exception as error:  # say what the page shows instead
        state = page.evaluate("[document.querySelector('#ballot-label').textContent, "
                              "document.querySelector('#capture-state').textContent, "
                              "document.querySelector('#entry-error').textContent, "
                              "JSON.stringify(window.tellerTimings.map((t) => t.serial))]")
        raise AssertionError(f"sheet {serial} not shown; the page shows {state}") from error


# Counts the page's calls of jsQR (vendor/jsQR.js sets window.jsQR when it loads), and keeps
# the real one for a stubbed BarcodeDetector to decode with (its calls are not counted).
COUNT_JSQR = """
(() => {
  let real = null;
  window.__jsqrCalls = 0;
  window.__realJsQR = (...args) => real(...args);
  Object.defineProperty(window, "jsQR", {configurable: true,
    get() { return real && ((...args) => { window.__jsqrCalls += 1; return real(...args); }); },
    set(value) { real = value; }});
})();
"""

# A BarcodeDetector as Android's Chromium has one: it reads the real QR code in the frame it
# is given (with the real decoder, so the text is what the sheet says) and counts its calls.
STUB_DETECTOR = """
window.__detectCalls = 0;
window.BarcodeDetector = class {
  constructor(options) { this.formats = (options || {}).formats || []; }
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect(source) {
    window.__detectCalls += 1;
    const ctx = source.getContext("2d", {willReadFrequently: true});
    const image = ctx.getImageData(0, 0, source.width, source.height);
    const found = window.__realJsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
    return found ? [{rawValue: found.data, format: "qr_code", boundingBox: {}, cornerPoints: []}] : [];
  }
};
"""


def test_sheets_are_captured_by_themselves_corrected_rescans_told_and_queued_offline(stack,
                                                                                    playwright_driver):
    inst, video, sheets = stack
    s1, s2, s3, s4 = inst.serials
    browser = bench_teller.launch(playwright_driver, video)
    page = bench_teller.teller_page(browser, inst, "teller1", (1024, 768), init_script=COUNT_JSQR)
    assert page.evaluate("window.isSecureContext") and page.url.startswith("https://")
    # Desktop Linux Chromium has no BarcodeDetector: the page reads the QR code with jsQR.
    assert page.evaluate("!('BarcodeDetector' in window)")
    page.click("#camera-open")

    # S1 captured with no tap: the reading and the photo side by side, 确认 in view.
    next_sheet(page, s1)
    assert page.evaluate("window.__jsqrCalls") > 0
    # The frame was encoded off the page's main thread (app/web/static/teller_encoder.js).
    assert page.evaluate("window.tellerTimings[0].encoder") == "worker"
    assert page.get_attribute("#capture-state", "data-state") == "captured"
    assert page.is_visible("#photo")
    assert bench_teller.in_view(page)["confirm"]
    fix_to_truth(page, sheets[s1])
    page.keyboard.press("Enter")  # the keyboard (or a pedal) confirms
    page.wait_for_selector("#ballot-card", state="hidden")

    # S2 is captured as soon as S1 is confirmed; one tap corrects a row.
    next_sheet(page, s2)
    fix_to_truth(page, sheets[s2])
    truth_c1 = sheets[s2].truth.marks["c1"]
    corrected = "no" if truth_c1 != "no" else "yes"
    page.click(f"#marks tr[data-ref='c1'] button[data-mark='{corrected}']")
    assert page.get_attribute("#marks tr[data-ref='c1'] button.on", "data-mark") == corrected
    page.click("#confirm")
    page.wait_for_selector("#ballot-card", state="hidden")

    # S1 again (the same paper under the camera a second time): told before confirming.
    next_sheet(page, s1)
    fix_to_truth(page, sheets[s1])
    page.wait_for_function("document.querySelector('#ballot-note').dataset.kind === 'same'")
    assert "已计过" in page.text_content("#ballot-note")
    other = "no" if sheets[s1].truth.marks["c1"] != "no" else "yes"
    page.click(f"#marks tr[data-ref='c1'] button[data-mark='{other}']")
    page.wait_for_function("document.querySelector('#ballot-note').dataset.kind === 'different'")
    assert "与已计结果不同" in page.text_content("#ballot-note")
    page.click("#discard")
    page.wait_for_function("document.querySelector('#my-count').textContent === '2'")
    assert "已计 2" in page.text_content("#round-progress")

    # The network to the server is cut while S3 and S4 are confirmed: both wait on the tablet.
    page.route("**/api/rounds/*/ballots", lambda route: route.abort())
    for serial in (s3, s4):
        next_sheet(page, serial)
        fix_to_truth(page, sheets[serial])
        page.click("#confirm")
        page.wait_for_selector("#ballot-card", state="hidden")
    assert page.get_attribute("#queue-state", "data-waiting") == "2"
    # Signing out now is asked first; the teller stays.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#sign-out")
    assert asked and "尚未送达" in asked[0] and "/teller" in page.url
    page.unroute("**/api/rounds/*/ballots")
    page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '0'",
                           timeout=20_000)
    # S4 was confirmed wrong after all: flagged for the scrutineers from the recent list,
    # with a short note in words (a note naming a voter is refused, saying so).
    item = f"#recent li[data-serial='{s4}']"
    page.click(f"{item} button.flag")
    voter = db_rows(inst, "SELECT name FROM person WHERE name NOT IN (SELECT name FROM candidate)"
                          " AND length(name) >= 2 ORDER BY id LIMIT 1")[0]["name"]
    page.fill(f"{item} form.flag-form input", f"{voter}的票")
    page.click(f"{item} form.flag-form button[type=submit]")
    page.wait_for_function(f"document.querySelector(\"{item} form.flag-form .error\").textContent"
                           f".includes('投票人')")
    page.fill(f"{item} form.flag-form input", "第一名应为不赞成")
    page.click(f"{item} form.flag-form button[type=submit]")
    page.wait_for_selector(f"{item} .flagged")
    assert "第一名应为不赞成" in page.text_content(f"{item} .flagged")
    browser.close()

    flagged = db_rows(inst, "SELECT serial, note FROM teller_flag")
    assert [(row["serial"], row["note"]) for row in flagged] == [(s4, "第一名应为不赞成")]

    rows = {row["serial"]: row for row in db_rows(inst, "SELECT * FROM ballot")}
    assert sorted(rows) == sorted(inst.serials)
    submissions = dict(db_rows(inst, "SELECT serial, count(*) FROM ballot_submission GROUP BY serial"))
    assert submissions == {s1: 1, s2: 1, s3: 1, s4: 1}  # each exactly once; the rescan was discarded
    assert json.loads(rows[s2]["marks_json"]).get("c1", "abstain") == corrected
    for serial in (s1, s3, s4):  # what the paper says, after the teller's checks
        stored = json.loads(rows[serial]["marks_json"])
        for ref, mark in sheets[serial].truth.marks.items():
            assert stored.get(ref, "abstain") == (mark if mark in ("yes", "no", "abstain") else "unreadable")


def test_a_browser_with_barcode_detector_reads_the_qr_code_with_it(stack, playwright_driver):
    """Android's Chromium has BarcodeDetector: the page then finds the QR code with it and
    never calls jsQR. (Nothing is recorded: the sheet is discarded.)"""
    inst, video, _sheets = stack
    s1 = inst.serials[0]
    browser = bench_teller.launch(playwright_driver, video)
    try:
        page = bench_teller.teller_page(browser, inst, "teller2", (1024, 768),
                                        init_script=COUNT_JSQR + STUB_DETECTOR)
        page.click("#camera-open")
        next_sheet(page, s1)
        assert page.evaluate("window.__detectCalls") > 0
        assert page.evaluate("window.__jsqrCalls") == 0
        assert page.get_attribute("#capture-state", "data-state") == "captured"
        page.wait_for_function("document.querySelector('#verdict').dataset.valid")  # judged as usual
        page.click("#discard")
    finally:
        browser.close()


# The reader's answer with one candidate's row made unsure (the layout is what is tested:
# unsure rows come first, and the written-in names must show as well).
ONE_ROW_UNSURE = """
const realFetch = window.fetch;
window.fetch = async (url, init) => {
  const response = await realFetch(url, init);
  if (!String(url).endsWith("/scan") || !response.ok) return response;
  const data = await response.json();
  data.marks.c2 = "unsure";
  return new Response(JSON.stringify(data), {status: 200, headers: {"Content-Type": "application/json"}});
};
"""


def test_written_in_names_show_with_confirm_without_scrolling(stack, browser, tmp_path):
    """A sheet with names written in and a row the reader is unsure of: the unsure row, each
    write-in row (the crop of the handwriting and its name field) and 确认 are all in view,
    at 768×1024 and 1024×768, with no scrolling."""
    import random

    import make_test_deck as deck

    from app.ballots.serials import sign

    inst = stack[0]
    serial = inst.serials[0]
    text = sign(inst.key, inst.contest_id, inst.round_id, serial).text()
    paper = deck.render_page(deck.Ballot(inst.layout, text, inst.contest_id, inst.round_id, serial))
    for seed in range(50):  # a voter who wrote two names or more
        rng = random.Random(seed)
        filled, truth = deck.fill_ballot(paper, inst.layout, rng)
        if sum(w["has_name"] for w in truth.write_ins) >= 2:
            break
    jpeg, _h = deck.photograph(filled, rng, size=(1600, 1200))
    photo = tmp_path / "written-in.jpg"
    photo.write_bytes(jpeg)
    for size in ((768, 1024), (1024, 768)):
        page = bench_teller.teller_page(browser, inst, "teller3", size, init_script=ONE_ROW_UNSURE)
        try:
            page.set_input_files("#photo-input", str(photo))
            page.wait_for_selector("#ballot-card:not([hidden])", timeout=30_000)
            rows = page.locator("#write-ins .write-in")
            assert rows.count() >= 2, page.text_content("#ballot-card")
            assert page.locator("#write-ins .write-in img").count() >= 2  # the crops of the names
            assert page.locator("#marks tr.unsure").count() == 1
            view = bench_teller.in_view(page)
            assert view == {"confirm": True, "rows": True, "pageScrolls": False}, (size, view)
            page.click("#discard")
        finally:
            page.context.close()


def test_a_busy_frame_is_encoded_within_the_budget_per_ballot(stack, browser):
    """A frame that makes a JPEG far over budget at the usual quality (noise everywhere) is
    still sent within it: quality lowered, then size; in the worker and on the page alike."""
    page = bench_teller.teller_page(browser, stack[0], "teller3", (1024, 768))
    try:
        sizes = page.evaluate("""async () => {
            const canvas = document.createElement("canvas");
            canvas.width = 1600; canvas.height = 1200;
            const ctx = canvas.getContext("2d");
            const image = ctx.createImageData(1600, 1200);
            for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 2654435761 >>> 13) & 255;
            ctx.putImageData(image, 0, 0);
            const plain = await new Promise((r) => canvas.toBlob(r, "image/jpeg", SEND_QUALITY));
            const timing = {};
            const args = [canvas, 1600, 1200, SEND_LONGEST, SEND_QUALITY, FRAME_BUDGET];
            const worker = await encodeWithin(...args, timing);
            const onPage = await encodeOnPage(...args);
            return {plain: plain.size, worker: worker && worker.size, onPage: onPage && onPage.size,
                    encoder: timing.encoder, budget: FRAME_BUDGET, ballot: BALLOT_BUDGET};
        }""")
    finally:
        page.context.close()
    assert sizes["plain"] > 2 * sizes["budget"]  # the usual quality would be far over
    assert sizes["encoder"] == "worker"
    assert 0 < sizes["worker"] <= sizes["budget"] and 0 < sizes["onPage"] <= sizes["budget"]
    assert sizes["budget"] < sizes["ballot"] <= 300_000


def test_https_server_as_the_readme_starts_it_covers_the_lan_addresses(stack):
    inst = stack[0]
    files = tls.tls_files(inst.instance)
    for key in (files.ca_key, files.server_key):
        assert key.stat().st_mode & 0o777 == 0o600
    # The server presents a certificate the installation's CA vouches for...
    context = ssl.create_default_context(cafile=str(files.ca_cert))
    assert httpx.get(f"{inst.url}/api/health", verify=context).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{inst.url}/api/health", verify=True)  # not a public CA's
    served = x509.load_pem_x509_certificate(ssl.get_server_certificate(("127.0.0.1", inst.port)).encode())
    san = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    addresses = {str(a) for a in san.get_values_for_type(x509.IPAddress)}
    assert set(tls.lan_addresses()) <= addresses and "127.0.0.1" in addresses
    assert {"localhost"} <= set(san.get_values_for_type(x509.DNSName))
    # ...and tablets download that CA from the service.
    ca = httpx.get(f"{inst.url}/ca.crt", verify=context)
    assert ca.status_code == 200 and ca.content == files.ca_cert.read_bytes()
    # A new address (the hall's DHCP) makes a new server certificate under the same CA.
    command = [sys.executable, "-m", "flask", "--app", "app", "tls", "--name", "10.20.30.40"]
    out = subprocess.run(command, cwd=bench_teller.ROOT, env=inst.env, capture_output=True, text=True,
                         check=True).stdout
    assert "server certificate" in out and "[new]" in out.split("server certificate")[1].splitlines()[0]
    assert "10.20.30.40" in out
    again = tls.ensure_certificates(inst.instance, ["10.20.30.40"])
    assert not again.server_created and not again.ca_created
