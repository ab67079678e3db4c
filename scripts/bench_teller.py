"""Teller station benchmark: a stack of ballots counted through the teller page with a
live camera, over HTTPS, with the fewest taps a person would use.

    .venv/bin/python scripts/bench_teller.py [--count 12] [--video FILE.y4m|FILE.mjpeg]

It prepares a fresh installation (the demo congress, the committee's round 1 open, its
ballots printed), makes the installation's certificates (`flask tls`) and starts the
production server over HTTPS. Unless --video is given it films a stack: each ballot of
the round printed (the real PDF page), marked by hand and photographed by
scripts/make_test_deck.py, held still under the camera about 1.2 s, then slid away as the
next slides in. Headless Chromium gets that video as its camera
(--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE) and signs a
teller in at 1024×768. For each sheet the page captures by itself; the bench taps only
what a person must: each row the reader was unsure of or read wrong (to the truth), the
write-in names typed, then 确认. With each reading shown it also checks, at 768×1024 and
1024×768, whether 确认 and every highlighted row are in view without scrolling.

The last line is exactly: "teller: N ballots, sheet still→reading shown median X ms, taps per
clean ballot T, scroll S, confirm in view yes|no" (on one line).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_test_deck as deck  # noqa: E402  (the test deck's printer, pen and camera)

# The demo's password for this run (the demo makes a random one unless told).
PASSWORD = os.environ.setdefault("UNION_DEMO_PASSWORD", "bt-" + secrets.token_urlsafe(12))
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = ((1024, 768), (768, 1024))
WRITTEN_NAMES = ["赵六", "钱七", "孙八", "李九", "周十"]  # hold no digits (app/congress/names.py)


# --------------------------------------------------------------------------- the video

@dataclass
class Sheet:
    serial: str
    truth: deck.Truth
    still_from: float = 0.0  # seconds into the video
    still_to: float = 0.0


def film_stack(out: Path, layout: dict, payloads: list[tuple[str, str]], contest_id: int, round_id: int,
               *, seed: int = 12, size: tuple[int, int] = (1200, 1600), fps: int = 10, still_s: float = 1.2,
               move_s: float = 0.6, lead_s: float = 1.5, tail_s: float = 3.0,
               write_in_share: float = 0.35) -> list[Sheet]:
    """Write a .y4m video (`size` = width, height) of the sheets `payloads` [(serial, QR
    text)] held still one after another, each slid in from the left and out to the right;
    returns each sheet's truth and when it lies still. A serial given twice is the same
    sheet photographed again (a rescan). About `write_in_share` of the voters write a
    name in; the others leave those rows blank."""
    rng = random.Random(seed)
    width, height = size
    noise_rng = np.random.default_rng(seed)
    noise = [noise_rng.normal(0, 1.2, (height, width)).astype(np.float32) for _ in range(3)]
    table = np.full((height, width), 96.0, np.float32)
    frames = 0
    sheets: list[Sheet] = []
    filled_by_serial: dict[str, tuple[np.ndarray, deck.Truth]] = {}

    with open(out, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        chroma = bytes([128]) * ((width // 2) * (height // 2) * 2)

        def emit(image: np.ndarray, count: int) -> None:
            nonlocal frames
            for _ in range(count):
                grey = np.clip(image + noise[frames % len(noise)], 0, 255).astype(np.uint8)
                video.write(b"FRAME\n")
                video.write(grey.tobytes())
                video.write(chroma)
                frames += 1

        def shifted(image: np.ndarray, dx: int) -> np.ndarray:
            moved = table.copy()
            if abs(dx) < width:
                if dx >= 0:
                    moved[:, dx:] = image[:, :width - dx]
                else:
                    moved[:, :width + dx] = image[:, -dx:]
            return moved

        emit(table, round(lead_s * fps))
        step = max(1, round(move_s * fps / 2))
        previous = None
        for serial, text in payloads:
            if serial not in filled_by_serial:
                ballot = deck.Ballot(layout, text, contest_id, round_id, serial)
                marked_layout = layout if rng.random() < write_in_share else {**layout, "write_ins": []}
                filled_by_serial[serial] = deck.fill_ballot(deck.render_page(ballot), marked_layout, rng)
            filled, truth = filled_by_serial[serial]
            jpeg, _h = deck.photograph(filled, rng, size=(max(size), min(size)))
            photo = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
            if photo.shape != (height, width):  # shot across the frame: turn it to the camera's way
                photo = np.ascontiguousarray(np.rot90(photo))
            photo = photo.astype(np.float32)
            if previous is not None:  # the last sheet slides out to the right
                for k in range(1, step + 1):
                    emit(shifted(previous, round(width * k / step)), 1)
            for k in range(step, 0, -1):  # this one slides in from the left
                emit(shifted(photo, -round(width * k / step)), 1)
            start = frames / fps
            emit(photo, round(still_s * fps))
            sheets.append(Sheet(serial, truth, start, frames / fps))
            previous = photo
        for k in range(1, step + 1):
            emit(shifted(previous, round(width * k / step)), 1)
        emit(table, round(tail_s * fps))
    return sheets


# --------------------------------------------------------------------------- the server

@dataclass
class Installation:
    instance: Path
    round_id: int
    contest_id: int
    serials: list[str]
    key: str
    layout: dict
    refs: list[str]
    port: int = 0
    process: subprocess.Popen | None = None
    env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"


def prepare(instance: Path, count: int) -> Installation:
    """The demo congress with the committee's round 1 open and `count` serials printed."""
    os.environ["UNION_INSTANCE_DIR"] = str(instance)
    from app.ballots.issue import issue_serials
    from app.ballots.round_layout import round_layout
    from app.congress.rounds import open_round
    from app.demo import create_demo
    from app.security.secrecy import min_print_batch
    from app.store import connect, migrate
    from config import load_config

    load_config()  # makes the installation's secrets (the ballot key) as the server would
    db = connect(instance / "union.sqlite3")
    migrate(db)
    ids = create_demo(db)
    contest_id = ids["contest_ids"]["committee"]
    round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                          [contest_id]).fetchone()[0]
    open_round(db, round_id, "bench")
    # R10: once check-in has begun a print batch has a minimum size; the stack is its first `count`.
    serials = issue_serials(db, round_id, max(count, min_print_batch()), "bench").serials[:count]
    layout = round_layout(db, round_id)
    refs = [c["ref"] for c in layout["candidates"]]
    db.close()
    key = (instance / "ballot_key").read_text().strip()
    return Installation(instance, round_id, contest_id, serials, key, layout, refs)


def start_https(inst: Installation) -> None:
    """`flask tls`, then gunicorn with the certificate, as `UNION_HTTPS=1 scripts/run.sh` does."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        inst.port = sock.getsockname()[1]
    inst.env = {**os.environ, "UNION_INSTANCE_DIR": str(inst.instance), "PORT": str(inst.port),
                "UNION_LOGIN_RATE_LIMIT": "10000 per minute"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "tls"], cwd=ROOT, env=inst.env,
                   check=True, capture_output=True)
    tls = inst.instance / "tls"
    with open(inst.instance / "server.log", "ab") as log:
        inst.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "scripts/gunicorn.conf.py", "--certfile",
             str(tls / "server.crt"), "--keyfile", str(tls / "server.key"), "app:create_app()"],
            cwd=ROOT, env=inst.env, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            trust = ssl.create_default_context(cafile=str(tls / "ca.crt"))
            if httpx.get(f"{inst.url}/api/health", verify=trust, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    log_text = (inst.instance / "server.log").read_text()[-2000:]
    raise RuntimeError(f"the HTTPS server did not start: {log_text}")


def stop(inst: Installation) -> None:
    if inst.process and inst.process.poll() is None:
        os.killpg(inst.process.pid, signal.SIGTERM)
        try:
            inst.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(inst.process.pid, signal.SIGKILL)


# --------------------------------------------------------------------------- the teller

def launch(playwright, video: Path):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}", "--autoplay-policy=no-user-gesture-required"])


def teller_page(browser, inst: Installation, username: str, viewport: tuple[int, int] = VIEWPORTS[0],
                init_script: str | None = None):
    # The browser does not know our CA (a tablet would have it installed): the certificate
    # itself is checked separately (tests/test_teller_https.py); the page is HTTPS all the same.
    context = browser.new_context(locale="zh-CN", viewport={"width": viewport[0], "height": viewport[1]},
                                  ignore_https_errors=True, has_touch=True,
                                  bypass_csp=True)  # the pages forbid eval, which string predicates use
    context.grant_permissions(["camera"], origin=inst.url)
    if init_script:  # runs before the page's own scripts (the tests stub or count things with it)
        context.add_init_script(init_script)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{inst.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/teller")
    page.wait_for_selector(f"#round-select option[value='{inst.round_id}']", state="attached")
    page.select_option("#round-select", str(inst.round_id))
    return page


def in_view(page) -> dict:
    """Is 确认 (and every highlighted row, and every written-in name row with its crop and
    name field) inside the window with neither the page nor the reading's pane scrolled?"""
    return page.evaluate("""() => {
        const inside = (el) => { const r = el.getBoundingClientRect();
            return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; };
        const scroller = document.querySelector('#reading-scroll');
        const rows = [...document.querySelectorAll('#marks tr.unsure, #write-ins .write-in')];
        const clipped = (el) => {  // cut off by a box that scrolls or hides what overflows it
            const r = el.getBoundingClientRect();
            for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
                if (!/auto|scroll|hidden/.test(getComputedStyle(box).overflowY)) continue;
                const b = box.getBoundingClientRect();
                if (r.top < b.top - 1 || r.bottom > b.bottom + 1) return true;
            }
            return false; };
        const rowsShown = rows.every((row) => { const r = row.getBoundingClientRect();
            const s = scroller.getBoundingClientRect();
            return inside(row) && r.bottom <= s.bottom + 1 && !clipped(row); });
        return {confirm: inside(document.querySelector('#confirm')), rows: rowsShown,
                pageScrolls: document.documentElement.scrollHeight > innerHeight + 1};
    }""")


def count_one(page, sheet_by_serial: dict, viewports=VIEWPORTS) -> dict:
    """Act on the ballot shown, as a person: fix what the reader got wrong or was unsure
    of, type the written-in names, tap 确认. Returns what it took."""
    serial = page.text_content("#ballot-label")
    sheet = sheet_by_serial.get(serial)
    views = {}
    for size in viewports[1:] + viewports[:1]:  # measure the other one, end on the first
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.evaluate("fitWorkArea()")
        views[size] = in_view(page)
    taps = 0
    typed = 0
    if sheet is not None:
        for ref, meant in sheet.truth.marks.items():
            want = meant if meant in ("yes", "no", "abstain") else "unreadable"
            row = page.locator(f"#marks tr[data-ref='{ref}']")
            shown = row.locator("button.on")
            unsure = "unsure" in (row.get_attribute("class") or "")
            if unsure or shown.count() == 0 or shown.get_attribute("data-mark") != want:
                row.locator(f"button[data-mark='{want}']").click()
                taps += 1
        named = [w for w in sheet.truth.write_ins if w.get("has_name")]
        for index, row in enumerate(page.locator("#write-ins .write-in").all()):
            wanted = index < len(named)  # a name written with its ○; any other row shown is empty
            if wanted:  # a name written on the sheet is typed by the teller
                row.locator("input").fill(WRITTEN_NAMES[index % len(WRITTEN_NAMES)])
                typed += 1
            button = row.locator("button")
            # One tap turns an unsure row to approve, a second to none (app/web/static/teller.js).
            if "unsure" in (row.get_attribute("class") or ""):
                button.click()
                taps += 1
            if (button.get_attribute("aria-pressed") == "true") != wanted:  # an empty row set to none
                button.click()
                taps += 1
    note = page.text_content("#ballot-note")
    page.click("#confirm")
    taps += 1
    page.wait_for_selector("#ballot-card", state="hidden")
    return {"serial": serial, "taps": taps, "typed": typed, "views": views, "note": note}


def run(inst: Installation, video: Path, count: int, sheets: list[Sheet] | None) -> dict:
    from playwright.sync_api import sync_playwright

    by_serial = {s.serial: s for s in sheets or []}
    done: list[dict] = []
    with sync_playwright() as playwright:
        browser = launch(playwright, video)
        page = teller_page(browser, inst, "teller1")
        page.click("#camera-open")
        page.wait_for_function("document.querySelector('#camera').videoWidth > 0")
        missed = 0
        while len(done) + missed < count:
            try:
                page.wait_for_selector("#ballot-card:not([hidden])", timeout=8_000)
            except Exception:  # noqa: BLE001 - no sheet captured in time: say so
                missed += 1
                continue
            done.append(count_one(page, by_serial))
        page.wait_for_function("document.querySelector('#queue-state').dataset.waiting === '0'",
                               timeout=30_000)
        page.wait_for_timeout(1500)  # the scrutineers' photos follow their ballots
        timings = page.evaluate("window.tellerTimings")
        browser.close()
    return {"done": done, "missed": missed, "timings": timings}


PHASES = (  # where sheet still → reading shown goes (app/web/static/teller.js's timings)
    ("wait", "stillAt", "lookAt"),        # still, until the QR search that succeeded began
    ("qr", "lookAt", "capturedAt"),       # that search (frame grab, sharpness, QR)
    ("encode", "capturedAt", "encodedAt"),  # the frame as a JPEG within its budget
    ("queue", "encodedAt", "sentAt"),
    ("upload+read", "sentAt", "answeredAt"),  # of which serverMs: request sent → first byte
    ("image", "answeredAt", "imageAt"),   # the layout (cached) and the JPEG decoded
    ("render", "imageAt", "shownAt"),
)


def phase_lines(timings: list[dict]) -> list[str]:
    """Median of each phase, and the slowest sheet's phases with how many QR searches it took."""
    timed = [t for t in timings if "shownAt" in t and "lookAt" in t and not t.get("manual")]
    if not timed:
        return []

    def phases(t: dict) -> dict[str, float]:
        out = {name: t[end] - t[start] for name, start, end in PHASES if start in t and end in t}
        out["server"] = t.get("serverMs", float("nan"))
        return out

    names = [name for name, _s, _e in PHASES] + ["server"]
    medians = {n: statistics.median(phases(t).get(n, float("nan")) for t in timed) for n in names}
    slowest = max(timed, key=lambda t: t["shownAt"] - t["stillAt"])
    worst = phases(slowest)
    return [
        "  phases, median ms: " + ", ".join(f"{n} {medians[n]:.0f}" for n in names),
        f"  slowest sheet {slowest.get('serial')}: {slowest['shownAt'] - slowest['stillAt']:.0f} ms = "
        + ", ".join(f"{n} {worst.get(n, float('nan')):.0f}" for n in names)
        + f" (QR searches {slowest.get('tries', '?')})",
        f"  frames encoded in the worker {sum(t.get('encoder') == 'worker' for t in timed)} of {len(timed)}",
    ]


def recorded_once(inst: Installation, serials: list[str]) -> tuple[int, int]:
    """(distinct serials recorded, submissions beyond one per serial) for the video's sheets."""
    from app.store import connect

    db = connect(inst.instance / "union.sqlite3")
    try:
        marks = ",".join("?" * len(serials))
        recorded = db.execute(f"SELECT count(*) FROM ballot WHERE serial IN ({marks})", serials).fetchone()[0]
        extra = db.execute(f"SELECT count(*) - count(DISTINCT serial) FROM ballot_submission"
                           f" WHERE serial IN ({marks})", serials).fetchone()[0]
    finally:
        db.close()
    return recorded, extra


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=12, help="ballots in the stack (default 12)")
    parser.add_argument("--video", type=Path, help="use this .y4m/.mjpeg instead of filming the stack "
                        "(its sheets must be ballots of the bench's round to be counted)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-teller-"))
    instance = work / "instance"
    instance.mkdir()
    inst = prepare(instance, args.count)
    sheets = None
    video = args.video
    if video is None:
        from app.ballots.serials import sign

        video = work / "stack.y4m"
        started = time.perf_counter()
        payloads = [(s, sign(inst.key, inst.contest_id, inst.round_id, s).text()) for s in inst.serials]
        sheets = film_stack(video, inst.layout, payloads, inst.contest_id, inst.round_id)
        print(f"filmed {len(sheets)} sheets in {time.perf_counter() - started:.1f} s: {video} "
              f"({video.stat().st_size / 1e6:.0f} MB, 1200×1600, 10 fps, each still 1.2 s)")
    start_https(inst)
    try:
        result = run(inst, video, args.count, sheets)
    finally:
        stop(inst)
        if sheets is not None:
            video.unlink()  # the filmed stack is hundreds of MB
    done, timings = result["done"], result["timings"]
    latencies = [t["shownAt"] - t["stillAt"] for t in timings if "shownAt" in t and not t.get("manual")]
    notes = [t["noteAt"] - t["stillAt"] for t in timings if "noteAt" in t]
    clean = [d for d in done if d["taps"] == 1 and d["typed"] == 0]
    corrected = [d for d in done if d not in clean]
    taps_clean = statistics.mean(d["taps"] for d in clean) if clean else float("nan")
    scrolls = 0
    in_view_all = True
    for size in VIEWPORTS:
        views = [d["views"][size] for d in done]
        need = sum(1 for v in views if not (v["confirm"] and v["rows"]) or v["pageScrolls"])
        scrolls += need
        in_view_all = in_view_all and all(v["confirm"] for v in views)
        print(f"  {size[0]}×{size[1]}: 确认 in view {sum(v['confirm'] for v in views)}/{len(views)}, "
              f"unsure rows in view {sum(v['rows'] for v in views)}/{len(views)}, "
              f"ballots needing a scroll {need}")
    sizes = [t.get("scanBytes", 0) + t.get("photoBytes", 0) for t in timings]
    per_ballot = statistics.mean(sizes) if sizes else 0
    recorded, extra = recorded_once(inst, inst.serials[:args.count]) if sheets else (len(done), 0)
    print(f"  captured {len(timings)}, counted {len(done)}, missed {result['missed']}; recorded {recorded} "
          f"of {args.count}, extra submissions {extra}")
    if latencies:
        print(f"  sheet still→reading shown: median {statistics.median(latencies):.0f} ms, "
              f"max {max(latencies):.0f} ms; →rescan/verdict note answered median "
              f"{statistics.median(notes) if notes else float('nan'):.0f} ms")
    for line in phase_lines(timings):
        print(line)
    print(f"  clean ballots {len(clean)} (1 tap each: 确认), corrected or named {len(corrected)} "
          f"(taps {[d['taps'] for d in corrected]}, names typed {[d['typed'] for d in corrected]})")
    print(f"  sent per ballot (reading frame + the scrutineers' copy): mean {per_ballot / 1000:.0f} KB, "
          f"max {max(sizes or [0]) / 1000:.0f} KB (budget 300 KB)")
    print("  (2 shared cores; other engineers' work runs at the same time)")
    (work / "result.json").write_text(json.dumps({"latencies_ms": latencies, "timings": timings, "done": [
        {k: v for k, v in d.items() if k != "views"} for d in done]}, ensure_ascii=False))
    print(f"  every sheet's timings: {work / 'result.json'}")
    median = statistics.median(latencies) if latencies else float("nan")
    view = "yes" if in_view_all else "no"
    print(f"teller: {len(done)} ballots, sheet still→reading shown median {median:.0f} ms, "
          f"taps per clean ballot {taps_clean:.0f}, scroll {scrolls}, confirm in view {view}")


if __name__ == "__main__":
    main()
