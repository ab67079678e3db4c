// The teller's tablet: one ballot at a time, confirmed ballots queued until acknowledged.
//
// A confirmed ballot goes into a queue kept in localStorage (it survives a reload or a
// flat battery) and is sent, in order, until the server acknowledges it. Each carries a
// client_id made once, so a resend after a lost answer is the same submission.
//
// With a live camera (HTTPS or localhost) the page captures by itself: it watches the
// video, and when a sheet lies still, sharp, with a ballot QR code in view, it sends a
// downscaled JPEG to the reader; it waits for the sheet to be taken away before the next.
"use strict";

const TEXTS = JSON.parse(document.getElementById("teller-texts").textContent);
const QUEUE_KEY = "union-teller-queue/v1";
const ROUND_KEY = "union-teller-round/v1";
const RETRY_MS = 3000;
const MARK_ORDER = ["yes", "no", "abstain", "unreadable"];

function tx(key, params = {}) {
  return (TEXTS[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

function $(id) { return document.getElementById(id); }

function newClientId() {
  // crypto.randomUUID exists only in secure contexts; a tablet on plain HTTP has getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- the queue ------------------------------------------------------------------------

const queue = {
  items() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  },
  save(items) { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); showQueue(); },
  push(item) { const items = this.items(); items.push(item); this.save(items); },
  drop(clientId) { this.save(this.items().filter((item) => item.body.client_id !== clientId)); },
};

// Photos wait in memory only (too big for localStorage): they go to the scrutineers once
// their ballot is acknowledged, best effort; the count never waits for a photo.
const photos = new Map();  // client_id → Blob
let flushing = false;
let retryTimer = null;
let offline = false;

function showQueue() {
  const waiting = queue.items().length;
  const box = $("queue-state");
  box.dataset.waiting = String(waiting);
  box.textContent = waiting ? tx("tl_queue_waiting", {n: waiting}) + (offline ? ` · ${tx("tl_offline")}` : "")
    : tx("tl_queue_empty");
  box.className = waiting ? "waiting" : "ok";
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, RETRY_MS);
}

function transient(error) {
  // Worth sending again later: no network, a server error, a stale CSRF token, throttling.
  if (!(error instanceof ApiError)) return true;
  return error.status >= 500 || error.status === 408 || error.status === 429 || error.status === 401 ||
    error.code === "csrf_failed";
}

async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    for (const item of queue.items()) {
      try {
        const answer = await api("POST", `/api/rounds/${item.round_id}/ballots`, item.body);
        offline = false;
        queue.drop(item.body.client_id);
        if (photos.has(item.body.client_id)) sendPhoto(item.round_id, answer.serial, item.body.client_id);
        if (item.round_id === currentRoundId()) {
          $("my-count").textContent = String(answer.my_count);
          refreshProgressSoon();
        }
        remember(item, answer.status, verdictLine(answer.verdict), answer.serial);
      } catch (error) {
        if (transient(error)) {
          offline = !(error instanceof ApiError);
          if (error.status === 401) toast(tx("tl_login_again"), "error");
          if (error.code === "csrf_failed") await api("GET", "/api/session").catch(() => null);
          scheduleRetry();
          return;
        }
        queue.drop(item.body.client_id);  // refused for good: tell the teller, keep going
        remember(item, "refused", error.message);
      }
    }
  } finally {
    flushing = false;
    showQueue();
  }
}

async function sendPhoto(roundId, serial, clientId, attempt = 1) {
  const form = new FormData();
  form.append("photo", photos.get(clientId), "ballot.jpg");
  try {
    await api("POST", `/api/rounds/${roundId}/ballots/${encodeURIComponent(serial)}/photo?client_id=${clientId}`,
              form);
    photos.delete(clientId);
  } catch (error) {
    if (attempt < 5 && transient(error)) setTimeout(() => sendPhoto(roundId, serial, clientId, attempt + 1),
                                                    RETRY_MS * attempt);
    else photos.delete(clientId);
  }
}

function remember(item, status, detail, serial = null) {
  const li = document.createElement("li");
  li.className = status;
  li.dataset.status = status;
  const label = status === "refused" ? tx("tl_refused") : tx(`tl_${status}`);
  const text = document.createElement("span");
  text.textContent = `${item.label} — ${detail ? withColon(label) + detail : label}`;
  li.append(text);
  if (serial) {
    // A wrong reading confirmed: the teller flags it for the scrutineers, never overwrites it.
    li.dataset.serial = serial;
    const flag = document.createElement("button");
    flag.type = "button";
    flag.className = "flag";
    flag.textContent = tx("tl_flag");
    flag.addEventListener("click", () => openFlagForm(li, item.round_id, serial, flag));
    li.append(flag);
  }
  const list = $("recent");
  list.prepend(li);
  while (list.children.length > 30) list.lastChild.remove();
  if (status === "refused" || status === "conflict") toast(text.textContent, "error");
}

const FLAG_NOTE_MAX = 200;  // the server's bound (app/counting/flags.py)

function openFlagForm(li, roundId, serial, flagButton) {
  // A short, optional note in words for the scrutineers (what was read wrong, never whose
  // ballot it is), then one tap sends the flag; the counted reading is never changed.
  if (li.querySelector("form.flag-form")) return;
  const form = document.createElement("form");
  form.className = "flag-form";
  const question = document.createElement("p");
  question.textContent = tx("tl_flag_confirm", {serial});
  const note = document.createElement("input");
  note.type = "text";
  note.name = "note";
  note.maxLength = FLAG_NOTE_MAX;
  note.placeholder = tx("tl_flag_note");
  note.setAttribute("aria-label", tx("tl_flag_note"));
  const send = document.createElement("button");
  send.type = "submit";
  send.className = "primary";
  send.textContent = tx("tl_flag_send");
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = tx("tl_flag_cancel");
  const error = document.createElement("span");
  error.className = "error";
  error.setAttribute("role", "alert");
  cancel.addEventListener("click", () => { form.remove(); flagButton.hidden = false; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    flagBallot(roundId, serial, note.value.trim(), form, flagButton, error);
  });
  form.append(question, note, send, cancel, error);
  flagButton.hidden = true;
  li.append(form);
  note.focus();
}

async function flagBallot(roundId, serial, note, form, flagButton, errorBox) {
  try {
    await api("POST", `/api/rounds/${roundId}/ballots/${encodeURIComponent(serial)}/flag`, {note});
    form.remove();
    flagButton.replaceWith(Object.assign(document.createElement("span"), {className: "flagged",
      textContent: tx("tl_flagged") + (note ? inParens(note) : "")}));
  } catch (error) {
    errorBox.textContent = error instanceof ApiError ? error.message : tx("tl_offline");
  }
}

function verdictLine(verdict) {
  if (!verdict) return "";
  return verdict.valid ? tx("tl_valid") : tx("tl_invalid") + inParens(verdict.reason_text);
}

// ---- rounds ---------------------------------------------------------------------------

let rounds = [];
let layouts = {};

function currentRoundId() { return Number($("round-select").value) || null; }
function currentRound() { return rounds.find((r) => r.round_id === currentRoundId()) || null; }

async function loadRounds() {
  const select = $("round-select");
  try {
    // Only the rounds of the congress chosen in the bar's switcher (as on the other pages).
    const body = Number($("teller-root").dataset.congress) || null;
    rounds = (await api("GET", "/api/counting/rounds")).rounds
      .filter((r) => r.state === "open" && (!body || r.congress_id === body));
  } catch (error) {
    $("entry-error").textContent = error.message;
    return;
  }
  select.innerHTML = "";
  const pick = document.createElement("option");
  pick.value = "";
  pick.textContent = rounds.length ? tx("tl_pick_round") : tx("tl_no_rounds");
  select.append(pick);
  for (const r of rounds) {
    const option = document.createElement("option");
    option.value = String(r.round_id);
    option.textContent = `${r.congress_name} · ${r.title} · ${tx("tl_round_n", {number: r.number})}`;
    select.append(option);
  }
  const saved = Number(localStorage.getItem(ROUND_KEY));
  if (rounds.some((r) => r.round_id === saved)) select.value = String(saved);
  await roundChanged();
}

async function roundChanged() {
  const round = currentRound();
  discard();
  if (!round) return;
  localStorage.setItem(ROUND_KEY, String(round.round_id));
  $("my-count").textContent = "0";
  await refreshProgress();
  ensureLayout(round.round_id);
  $("code-input").focus();
}

let progressTimer = null;

function refreshProgressSoon() {
  clearTimeout(progressTimer);
  progressTimer = setTimeout(refreshProgress, 400);
}

async function refreshProgress() {
  // The round's progress: 已计 n / 收回 R (or / 发出 I before R is entered); my running count
  // is the ballots I recorded first.
  const round = currentRound();
  if (!round) return;
  try {
    const p = await api("GET", `/api/rounds/${round.round_id}/progress`);
    if (currentRoundId() !== round.round_id) return;
    const me = p.tellers.find((t) => t.user_id === Number($("teller-root").dataset.userId));
    $("my-count").textContent = String(me ? (me.first || 0) : 0);
    const box = $("round-progress");
    box.dataset.recorded = String(p.recorded);
    box.textContent = p.ballots_returned != null
      ? tx("tl_progress_returned", {n: p.recorded, total: p.ballots_returned})
      : p.ballots_issued != null ? tx("tl_progress_issued", {n: p.recorded, total: p.ballots_issued})
        : tx("tl_progress_plain", {n: p.recorded});
  } catch (error) { /* offline: the figures come back with the next acknowledgement */ }
}

async function ensureLayout(roundId) {
  // The printed page in mm: boxes to draw over a photo, write-in rows to offer.
  if (!layouts[roundId]) {
    try { layouts[roundId] = await api("GET", `/api/rounds/${roundId}/layout`); } catch (error) { return null; }
  }
  return layouts[roundId];
}

// ---- one ballot -----------------------------------------------------------------------

let ballot = null;  // {source, label, marks, unsure:Set, writeIns:[], scan, image}
let freeSince = 0;  // when the last ballot was closed: a sheet still before that waited for the teller
const timings = [];  // per captured sheet: still, captured, shown (performance.now() ms)
window.tellerTimings = timings;

function startBallot(source, label, reading = null) {
  const round = currentRound();
  const layout = layouts[round.round_id];
  const marks = {};
  for (const c of round.candidates) marks[c.ref] = "abstain";
  const unsure = new Set();
  let writeIns = [];
  if (reading) {
    for (const [ref, mark] of Object.entries(reading.marks || {})) {
      if (!(ref in marks)) continue;
      if (MARK_ORDER.includes(mark)) marks[ref] = mark;
      else unsure.add(ref);  // "unsure": the reader could not decide; the teller must
    }
    for (const item of reading.needs_review || []) if (item.ref) unsure.add(item.ref);
    writeIns = (reading.write_ins || []).filter((w) => w.has_name || w.mark === "yes" || w.mark === "unsure")
      .map((w) => ({name: "", mark: w.mark === "yes" ? "yes" : "none", crop: w.name_crop || null,
                    unsure: w.mark === "unsure"}));
  } else if (layout) {
    // Typed by hand: one empty row per write-in row printed on the sheet.
    writeIns = layout.write_ins.map(() => ({name: "", mark: "none", crop: null, unsure: false}));
  }
  // Rows the reader is unsure of come first; the order then stays put while the teller taps.
  const order = round.candidates.map((c) => c.ref);
  order.sort((a, b) => Number(unsure.has(b)) - Number(unsure.has(a)));
  ballot = {source, label, marks, unsure, writeIns, invalid: false, reason: "", scan: reading, image: null,
            state: "new", order};
  $("ballot-label").textContent = label;
  $("ballot-note").textContent = "";
  $("ballot-error").textContent = "";
  $("sheet-invalid").checked = false;
  $("invalid-reason").value = "";
  $("photo-wrap").hidden = true;
  $("ballot-card").hidden = false;
  $("ballot-note").dataset.kind = "";
  renderMarks();
  renderWriteIns();
  $("write-ins-box").hidden = !ballot.writeIns.length && !(layout && layout.write_ins.length);
  // Names written on the sheet are to be typed: their rows (the crop of the handwriting and
  // the name field) are pinned above the marks, out of the scrolling pane, so they show
  // together with the unsure rows (first in the pane) and 确认 at every size.
  const scroll = $("reading-scroll");
  const box = $("write-ins-box");
  box.classList.toggle("pinned", ballot.writeIns.length > 0);
  if (ballot.writeIns.length) scroll.before(box);
  else scroll.insertBefore(box, scroll.querySelector(".invalid-row"));
  $("reading-scroll").scrollTop = 0;
  document.body.classList.add("ballot-open");
  fitWorkArea();
  judgeNow();
}

function fitWorkArea() {
  // The work area fills the screen below the bar: 确认 stays in view without scrolling.
  window.scrollTo(0, 0);
  const top = $("work").getBoundingClientRect().top + window.scrollY;
  document.body.style.setProperty("--work-top", `${Math.round(top)}px`);
}

function renderMarks() {
  const round = currentRound();
  const body = $("marks");
  body.innerHTML = "";
  const byRef = Object.fromEntries(round.candidates.map((c) => [c.ref, c]));
  for (const c of ballot.order.map((ref) => byRef[ref])) {
    const tr = document.createElement("tr");
    tr.dataset.ref = c.ref;
    if (ballot.unsure.has(c.ref)) tr.className = "unsure";
    const name = document.createElement("td");
    name.className = "name";
    name.textContent = c.name + (c.note ? inParens(c.note) : "");
    const cell = document.createElement("td");
    const seg = document.createElement("div");
    seg.className = "seg";
    for (const mark of MARK_ORDER) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.mark = mark;
      button.className = mark + (ballot.unsure.has(c.ref) || ballot.marks[c.ref] !== mark ? "" : " on");
      button.textContent = tx(`tl_${mark}`);
      button.addEventListener("click", () => setMark(c.ref, mark));
      seg.append(button);
    }
    cell.append(seg);
    tr.append(name, cell);
    body.append(tr);
  }
}

function setMark(ref, mark) {
  ballot.marks[ref] = mark;
  ballot.unsure.delete(ref);
  renderMarks();
  drawPhoto();
  judgeSoon();
}

function renderWriteIns() {
  const box = $("write-ins");
  box.innerHTML = "";
  ballot.writeIns.forEach((w, index) => {
    const row = document.createElement("div");
    row.className = "write-in";
    if (w.crop) {
      const img = document.createElement("img");
      img.src = w.crop;
      img.alt = "";
      row.append(img);
    }
    const input = document.createElement("input");
    input.type = "text";
    input.placeholder = tx("tl_write_in_name");
    input.value = w.name;
    input.maxLength = 40;
    input.addEventListener("input", () => { w.name = input.value; judgeSoon(); });
    const yes = document.createElement("button");
    yes.type = "button";
    yes.className = "seg-yes" + (w.mark === "yes" && !w.unsure ? " primary" : "");
    yes.textContent = tx("tl_yes");
    yes.setAttribute("aria-pressed", String(w.mark === "yes"));
    yes.addEventListener("click", () => {
      w.mark = w.mark === "yes" && !w.unsure ? "none" : "yes";
      w.unsure = false;
      renderWriteIns();
      judgeSoon();
    });
    row.append(input, yes);
    if (w.unsure) row.classList.add("unsure");
    box.append(row);
  });
}

function readingBody() {
  return {
    marks: Object.fromEntries(Object.entries(ballot.marks).filter(([, mark]) => mark !== "abstain")),
    write_ins: ballot.writeIns.filter((w) => w.name.trim() || w.mark === "yes")
      .map((w) => ({name: w.name.trim(), mark: w.mark})),
    invalid: $("sheet-invalid").checked,
    invalid_reason: $("invalid-reason").value.trim(),
  };
}

let judgeTimer = null;
let judgeSeq = 0;

function judgeSoon() {
  clearTimeout(judgeTimer);
  judgeTimer = setTimeout(judgeNow, 120);
}

async function judgeNow() {
  if (!ballot) return;
  const seq = ++judgeSeq;
  const box = $("verdict");
  try {
    const answer = await api("POST", `/api/rounds/${currentRoundId()}/ballots/preview`,
                             {...ballot.source, ...readingBody()});
    if (seq !== judgeSeq || !ballot) return;
    showSeen(answer.state, answer.same_reading);
    const v = answer.verdict;
    box.className = "verdict " + (v.valid ? "good" : "bad");
    box.dataset.valid = String(v.valid);
    box.textContent = v.valid ? `${tx("tl_valid")} · ${tx("tl_approvals", {n: v.approvals, seats: currentRound().seats})}`
      : withColon(tx("tl_invalid")) + v.reason_text;
  } catch (error) {
    if (seq !== judgeSeq) return;
    box.className = "verdict";
    box.dataset.valid = "";
    box.textContent = error instanceof ApiError ? error.message : tx("tl_verdict_offline");
  }
}

function showSeen(state, same) {
  // Told before confirming: a sheet already counted, with this reading or another one.
  const note = $("ballot-note");
  ballot.state = state;
  if (state === "recorded") {
    note.dataset.kind = same ? "same" : "different";
    note.textContent = same ? tx("tl_seen_same") : tx("tl_seen_different");
  } else if (state === "conflict") {
    note.dataset.kind = "different";
    note.textContent = tx("tl_in_conflict");
  } else {
    note.dataset.kind = "";
    note.textContent = "";
  }
  if (ballot.timing && !ballot.timing.noteAt) ballot.timing.noteAt = performance.now();
}

function confirmBallot() {
  if (!ballot) return;
  $("ballot-error").textContent = "";
  if (ballot.unsure.size || ballot.writeIns.some((w) => w.unsure)) {
    $("ballot-error").textContent = tx("tl_resolve_unsure");
    return;
  }
  const body = {client_id: newClientId(), ...ballot.source, ...readingBody()};
  if (body.invalid && !body.invalid_reason) {
    $("ballot-error").textContent = tx("tl_reason_needed");
    $("invalid-reason").focus();
    return;
  }
  if (ballot.photo) photos.set(body.client_id, ballot.photo);
  if (ballot.timing) ballot.timing.confirmedAt = performance.now();
  queue.push({round_id: currentRoundId(), body, label: ballot.label, queued_at: new Date().toISOString()});
  discard();
  flush();
  // The next sheet may already have been scanned while this one was being checked.
  if ($("code-input").value.trim()) codeEntered($("code-input").value);
}

function discard() {
  ballot = null;
  freeSince = performance.now();
  judgeSeq++;
  $("ballot-card").hidden = true;
  $("photo-wrap").hidden = true;
  document.body.classList.remove("ballot-open");
  $("verdict").textContent = "";
  // Back to capture at once; the code field takes the focus for a handheld scanner, but not
  // while the camera runs (on a tablet that would pop up the on-screen keyboard).
  if (watcher.state === "off") $("code-input").focus();
}

// ---- naming the ballot: QR text, typed code, photo -------------------------------------

async function codeEntered(text) {
  $("entry-error").textContent = "";
  const value = text.trim();
  if (ballot && value) {
    // Never drop a ballot the teller is still checking because the next one was scanned.
    $("entry-error").textContent = tx("tl_finish_first");
    return;
  }
  if (!value || !currentRound()) {
    if (!currentRound()) $("entry-error").textContent = tx("tl_pick_round");
    return;
  }
  // A handheld scanner types the QR text (UB1:…); a person types the short code.
  const source = /^UB1:/i.test(value) ? {payload: value} : {code: value};
  let label = value;
  let state = "unverified";
  try {
    const answer = await api("POST", `/api/rounds/${currentRoundId()}/ballots/preview`, {...source, marks: {}});
    label = answer.serial;
    state = answer.state;
  } catch (error) {
    if (error instanceof ApiError && !transient(error)) {
      $("entry-error").textContent = error.message;  // voided, another round, forged…
      $("code-input").select();
      return;
    }
  }
  if (source.payload && label === value) label = value.split(":")[3] || value;
  $("code-input").value = "";
  startBallot(state === "unverified" ? source : {serial: label}, label);
  if (state === "unverified") {
    ballot.state = state;
    $("ballot-note").textContent = tx("tl_unverified");
  }
}

async function photoTaken(blob, timing = null) {
  $("entry-error").textContent = "";
  if (!currentRound()) { $("entry-error").textContent = tx("tl_pick_round"); return; }
  const form = new FormData();
  form.append("photo", blob, "ballot.jpg");
  $("entry-error").textContent = tx("tl_scanning");
  let reading;
  const scanUrl = `/api/rounds/${currentRoundId()}/scan`;
  if (timing) timing.sentAt = performance.now();
  try {
    reading = await api("POST", scanUrl, form);
    if (timing) {
      timing.answeredAt = performance.now();
      // The server's share: request sent → first byte of the answer (the reader's time).
      const entry = performance.getEntriesByName(new URL(scanUrl, location.href).href).pop();
      if (entry && entry.responseStart) {
        timing.serverMs = entry.responseStart - entry.requestStart;
        performance.clearResourceTimings();
      }
    }
  } catch (error) {
    $("entry-error").textContent = error instanceof ApiError ? error.message : tx("tl_scan_offline");
    return;
  }
  $("entry-error").textContent = "";
  if (ballot) {  // a sheet typed or scanned meanwhile is open: never drop it
    $("entry-error").textContent = tx("tl_finish_first");
    return;
  }
  await ensureLayout(currentRoundId());
  // Everything is ready before the card opens, so the reading and the photo show together.
  const image = await loadImage(blob);
  if (timing) timing.imageAt = performance.now();
  if (ballot) { $("entry-error").textContent = tx("tl_finish_first"); return; }
  startBallot({serial: reading.serial}, reading.serial, reading);
  ballot.image = image;
  ballot.timing = timing;
  $("photo-wrap").hidden = false;
  drawPhoto();
  if (timing) {
    timing.shownAt = performance.now();
    timing.serial = reading.serial;
    timing.scanBytes = blob.size;
    timings.push(timing);  // read by scripts/bench_teller.py
  }
  // The scrutineers' copy: smaller still (a few tens of KB), made after the card shows; the
  // two together stay within the budget per ballot.
  const photo = image ? await shrink(image, 1200, 0.6, Math.max(PHOTO_MIN_BUDGET, BALLOT_BUDGET - blob.size))
    : null;
  if (ballot && ballot.image === image) ballot.photo = photo;
  if (timing && photo) timing.photoBytes = photo.size;
}

async function photoChosen(file) {
  // A photo from the camera app (plain HTTP): a 12 MP original is 3 MB on the hall Wi-Fi;
  // the reader needs ~1,600 px, so the page sends that, as with the live camera.
  let blob = file;
  try {
    const bitmap = await createImageBitmap(file);
    const small = await encodeWithin(bitmap, bitmap.width, bitmap.height, SEND_LONGEST, SEND_QUALITY,
                                     FRAME_BUDGET);
    bitmap.close();
    if (small && small.size < file.size) blob = small;
  } catch (e) { /* not decodable here: the server says what it is */ }
  photoTaken(blob);
}

function loadImage(blob) {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null);
    img.src = URL.createObjectURL(blob);
  });
}

function shrink(img, longest = 1600, quality = 0.82, budget = Infinity) {
  // A photo small enough to keep for the scrutineers, still sharp enough to read the marks.
  return encodeWithin(img, img.naturalWidth, img.naturalHeight, longest, quality, budget);
}

// The JPEG encoder runs in a worker (teller_encoder.js says why: on the page, Chromium may
// hold a toBlob encode back for seconds); where workers cannot encode, the page does it.
let encoderWorker = null;  // null: not started yet; false: not available
let encodeSeq = 0;
const encodeWaiting = new Map();  // id → resolve

function encoder() {
  if (encoderWorker !== null) return encoderWorker;
  encoderWorker = false;
  if (typeof OffscreenCanvas !== "function" || typeof createImageBitmap !== "function" || !window.Worker) {
    return encoderWorker;
  }
  try {
    const worker = new Worker($("teller-root").dataset.encoder);
    worker.onmessage = ({data}) => {
      const resolve = encodeWaiting.get(data.id);
      encodeWaiting.delete(data.id);
      if (resolve) resolve(data.failed ? undefined : data.blob);
    };
    worker.onerror = () => {  // could not load or run: encode on the page from now on
      encoderWorker = false;
      for (const resolve of encodeWaiting.values()) resolve(undefined);
      encodeWaiting.clear();
    };
    encoderWorker = worker;
  } catch (e) { encoderWorker = false; }
  return encoderWorker;
}

async function encodeWithin(source, width, height, longest, quality, budget, timing = null) {
  // A JPEG of `source` at most `budget` bytes: the quality is lowered first (down to
  // MIN_QUALITY), then the size, so a busy sheet (many marks, a textured table) never makes
  // a ballot cost more than the hall Wi-Fi budget (≤ 300 KB per ballot, issue 12).
  const worker = encoder();
  if (worker) {
    try {
      const bitmap = await createImageBitmap(source);  // this frame, whatever the video does next
      const blob = await new Promise((resolve) => {
        const id = ++encodeSeq;
        encodeWaiting.set(id, resolve);
        worker.postMessage({id, bitmap, longest, quality, budget, minQuality: MIN_QUALITY}, [bitmap]);
      });
      if (blob !== undefined) {
        if (timing) timing.encoder = "worker";
        return blob;
      }
    } catch (e) { /* encode on the page below */ }
  }
  if (timing) timing.encoder = "page";
  return encodeOnPage(source, width, height, longest, quality, budget);
}

async function encodeOnPage(source, width, height, longest, quality, budget) {
  let size = longest;
  let q = quality;
  for (let attempt = 0; attempt < 8; attempt++) {
    const scale = Math.min(1, size / Math.max(width, height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d").drawImage(source, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", q));
    if (!blob || blob.size <= budget) return blob;
    if (q - 0.1 >= MIN_QUALITY - 1e-9) q -= 0.1;
    else size = Math.round(size * 0.85);
  }
  return null;
}

function project(h, x, y) {
  const w = h[2][0] * x + h[2][1] * y + h[2][2];
  return [(h[0][0] * x + h[0][1] * y + h[0][2]) / w, (h[1][0] * x + h[1][1] * y + h[1][2]) / w];
}

function drawPhoto() {
  if (!ballot || !ballot.image || !ballot.scan) return;
  const canvas = $("photo");
  const img = ballot.image;
  const [imageW, imageH] = ballot.scan.image_size || [img.naturalWidth, img.naturalHeight];
  const width = Math.min(1200, Math.max(320, canvas.parentElement.clientWidth) * (window.devicePixelRatio || 1));
  const scale = width / imageW;
  canvas.width = Math.round(width);
  canvas.height = Math.round(imageH * scale);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const layout = layouts[currentRoundId()];
  const h = ballot.scan.page_to_image;
  if (!layout || !h) return;
  const box = (rect, color, width) => {
    const corners = [[rect.x, rect.y], [rect.x + rect.w, rect.y], [rect.x + rect.w, rect.y + rect.h],
                     [rect.x, rect.y + rect.h]].map(([x, y]) => project(h, x, y).map((v) => v * scale));
    ctx.beginPath();
    ctx.moveTo(...corners[0]);
    for (const corner of corners.slice(1)) ctx.lineTo(...corner);
    ctx.closePath();
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.stroke();
  };
  for (const c of layout.candidates) {
    const unsure = ballot.unsure.has(c.ref);
    const mark = ballot.marks[c.ref];
    for (const side of ["yes", "no"]) {
      if (unsure) box(c.boxes[side], "#f9a825", 6);
      else if (mark === side) box(c.boxes[side], side === "yes" ? "#1b5e20" : "#b71c1c", 4);
      else box(c.boxes[side], "rgba(0,0,0,.25)", 1);
    }
  }
  layout.write_ins.forEach((w) => box(w.name_area, "rgba(21,101,192,.6)", 2));
}

async function startCamera() {
  const video = $("camera");
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({
      video: {facingMode: "environment", width: {ideal: 1920}, height: {ideal: 1440}}, audio: false});
  } catch (error) {
    $("entry-error").textContent = error.message;
    return;
  }
  $("camera-box").hidden = false;
  $("camera-open").hidden = true;
  $("camera-shot").hidden = false;
  await video.play();
  localStorage.setItem(CAMERA_KEY, "1");
  watcher.start();
}

function frameBlob(timing = null) {
  // What is sent to the reader: the frame downscaled to ~1600 px, a JPEG within FRAME_BUDGET.
  const video = $("camera");
  return encodeWithin(video, video.videoWidth, video.videoHeight, SEND_LONGEST, SEND_QUALITY, FRAME_BUDGET,
                      timing);
}

async function shoot() {
  // The manual shutter: always there, whatever the watcher thinks.
  const timing = {stillAt: performance.now(), capturedAt: performance.now(), manual: true};
  const blob = await frameBlob(timing);
  if (blob) {
    watcher.captured();
    photoTaken(blob, timing);
  }
}

// ---- continuous capture ------------------------------------------------------------------

const CAMERA_KEY = "union-teller-camera/v1";
const SEND_LONGEST = 1600;
const SEND_QUALITY = 0.72;
// Bytes sent per ballot (issue 12: ≤ 300 KB): the reader's frame, then the scrutineers' copy
// in what is left (never below PHOTO_MIN_BUDGET; the frame's own budget leaves it room).
const BALLOT_BUDGET = 290_000;
const FRAME_BUDGET = 230_000;
const PHOTO_MIN_BUDGET = 60_000;
const MIN_QUALITY = 0.5;
const SAMPLE_MS = 90;        // how often the video is looked at
const SMALL_W = 96;          // motion is judged on a tiny grey copy of the frame
const STILL_DIFF = 3.0;      // mean grey-level change between samples below which nothing moves
const AWAY_DIFF = 10.0;      // change from the captured frame that means the sheet was taken away
const STILL_SAMPLES = 2;     // samples in a row without motion before looking for the QR code
const QR_LONGEST = 800;      // size of the frame searched for the QR code
const MIN_SHARPNESS = 2.0;   // mean horizontal gradient of the frame; a blurred one is lower
const MIN_CONTRAST = 60;     // grey levels between a frame's darkest and brightest 2 %: below, no sheet
const QR_RETRY_MS = 500;

const watcher = {
  state: "off",            // waiting | captured | off
  prev: null, still: 0, stillAt: 0, ref: null, away: 0, lastTry: 0, trying: false, detector: null,
  tries: 0, triedFor: -1,
  small: null, big: null, log: [],

  start() {
    if (this.state !== "off") return;
    this.small = document.createElement("canvas");
    this.big = document.createElement("canvas");
    if ("BarcodeDetector" in window) {
      try { this.detector = new window.BarcodeDetector({formats: ["qr_code"]}); } catch (e) { this.detector = null; }
    }
    this.state = "waiting";
    this.show("tl_cam_waiting");
    this.tick();
  },

  show(key) {
    const box = $("capture-state");
    box.dataset.state = this.state;
    box.textContent = tx(key);
  },

  captured() {
    this.state = "captured";
    this.ref = this.prev;
    this.away = 0;
    this.still = 0;
    this.show("tl_cam_captured");
  },

  grey() {
    const video = $("camera");
    if (!video.videoWidth) return null;
    const w = SMALL_W;
    const h = Math.round(w * video.videoHeight / video.videoWidth);
    this.small.width = w;
    this.small.height = h;
    const ctx = this.small.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(video, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    const out = new Uint8Array(w * h);
    for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = (rgba[i] + 2 * rgba[i + 1] + rgba[i + 2]) >> 2;
    return out;
  },

  tick() {
    if (this.state === "off") return;
    setTimeout(() => this.tick(), SAMPLE_MS);
    if (this.trying) return;
    const now = performance.now();
    const cur = this.grey();
    if (!cur) return;
    const moved = this.prev ? meanDiff(cur, this.prev) : 255;
    this.prev = cur;
    if (this.state === "captured") {
      // Wait until the sheet is taken away (or another put on top) before the next capture.
      this.away = meanDiff(cur, this.ref) > AWAY_DIFF ? this.away + 1 : 0;
      if (this.away >= 2) {
        this.state = "waiting";
        this.still = 0;
        this.show("tl_cam_waiting");
      }
      return;
    }
    if (moved > STILL_DIFF) {
      this.still = 0;
      return;
    }
    if (this.still === 0) this.stillAt = now - SAMPLE_MS / 2;  // it stopped between two samples
    this.still += 1;
    if (this.still < STILL_SAMPLES) return;
    if (ballot) { this.show("tl_cam_hold"); return; }
    if (!currentRound()) return;
    if (now - this.lastTry < QR_RETRY_MS) return;
    this.lastTry = now;
    this.trying = true;
    this.tryCapture(Math.max(this.stillAt, freeSince)).finally(() => { this.trying = false; });
  },

  async tryCapture(stillAt) {
    const lookAt = performance.now();
    this.tries = stillAt === this.triedFor ? this.tries + 1 : 1;
    this.triedFor = stillAt;
    this.show("tl_cam_steady");
    const video = $("camera");
    const scale = Math.min(1, QR_LONGEST / Math.max(video.videoWidth, video.videoHeight));
    const w = Math.round(video.videoWidth * scale);
    const h = Math.round(video.videoHeight * scale);
    this.big.width = w;
    this.big.height = h;
    const ctx = this.big.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(video, 0, 0, w, h);
    const image = ctx.getImageData(0, 0, w, h);
    if (sharpness(image) < MIN_SHARPNESS) {
      // Nothing but the table (no bright paper, no dark ink) is not a blurred sheet.
      this.show(contrast(image) < MIN_CONTRAST ? "tl_cam_waiting" : "tl_cam_blurred");
      return;
    }
    const text = await this.findQr(image);
    if (!text || !/^UB1:/i.test(text)) { this.show("tl_cam_no_qr"); return; }
    if (ballot || this.state !== "waiting") return;
    // tries: QR searches this still sheet took (each after QR_RETRY_MS); lookAt: the last began.
    const timing = {stillAt, lookAt, capturedAt: performance.now(), tries: this.tries};
    const blob = await frameBlob(timing);
    if (!blob) return;
    timing.encodedAt = performance.now();
    this.captured();
    signal();
    this.log.push({stillAt, capturedAt: timing.capturedAt, qr: text});
    photoTaken(blob, timing);
  },

  async findQr(image) {
    if (this.detector) {
      try {
        const found = await this.detector.detect(this.big);
        return found.length ? found[0].rawValue : null;
      } catch (e) { this.detector = null; }
    }
    if (typeof window.jsQR !== "function") return null;
    const found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
    return found ? found.data : null;
  },
};

function meanDiff(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

function contrast(image) {
  // Spread of the green channel (2nd to 98th percentile, every 4th row and column): a sheet
  // under the camera spans paper white to ink; an empty table hardly varies.
  const {data, width, height} = image;
  const counts = new Uint32Array(256);
  let n = 0;
  for (let y = 0; y < height; y += 4) {
    for (let x = 0, i = y * width * 4 + 1; x < width; x += 4, i += 16) { counts[data[i]]++; n++; }
  }
  let low = 0;
  let high = 255;
  for (let v = 0, seen = 0; v < 256; v++) { seen += counts[v]; if (seen >= n * 0.02) { low = v; break; } }
  for (let v = 255, seen = 0; v >= 0; v--) { seen += counts[v]; if (seen >= n * 0.02) { high = v; break; } }
  return high - low;
}

function sharpness(image) {
  // Mean absolute horizontal gradient of the green channel, every 4th row: ink edges on
  // paper make it high; motion blur or a lens out of focus make it low.
  const {data, width, height} = image;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y += 4) {
    for (let x = 1, i = (y * width + 1) * 4 + 1; x < width; x++, i += 4) {
      sum += Math.abs(data[i] - data[i - 4]);
      n++;
    }
  }
  return n ? sum / n : 0;
}

let audioContext = null;

function signal() {
  // One short beep and a buzz per captured sheet, so the teller need not look.
  try {
    audioContext = audioContext || new (window.AudioContext || window.webkitAudioContext)();
    const osc = audioContext.createOscillator();
    const gain = audioContext.createGain();
    osc.frequency.value = 1200;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(audioContext.destination);
    osc.start();
    osc.stop(audioContext.currentTime + 0.08);
  } catch (e) { /* no sound: the vibration and the screen still tell */ }
  if (navigator.vibrate) navigator.vibrate(60);
}

// ---- wiring ---------------------------------------------------------------------------

function guardSignOut() {
  // Signing out with ballots still queued is asked first (they stay on the tablet).
  document.addEventListener("click", (event) => {
    const out = event.target.closest && event.target.closest("#sign-out");
    if (!out) return;
    const waiting = queue.items().length;
    if (waiting && !window.confirm(tx("tl_sign_out_queued", {n: waiting}))) {
      event.stopPropagation();
      event.preventDefault();
    }
  }, true);
}

document.addEventListener("DOMContentLoaded", () => {
  $("round-select").addEventListener("change", roundChanged);
  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    codeEntered($("code-input").value);
  });
  $("photo-input").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (file) photoChosen(file);
  });
  // A live stream needs a secure context (HTTPS or localhost); plain HTTP uses the file input.
  if (window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("camera-open").hidden = false;
    $("camera-open").addEventListener("click", startCamera);
    $("camera-shot").addEventListener("click", shoot);
    // The camera was on last time: turn it on again (the browser remembers the permission).
    if (localStorage.getItem(CAMERA_KEY) === "1") startCamera();
  }
  guardSignOut();
  $("sheet-invalid").addEventListener("change", () => {
    if ($("sheet-invalid").checked) $("invalid-reason").focus();
    judgeSoon();
  });
  $("invalid-reason").addEventListener("input", judgeSoon);
  $("add-write-in").addEventListener("click", () => {
    if (!ballot || ballot.writeIns.length >= 5) return;
    ballot.writeIns.push({name: "", mark: "yes", crop: null, unsure: false});
    renderWriteIns();
    judgeSoon();
  });
  $("confirm").addEventListener("click", confirmBallot);
  $("discard").addEventListener("click", discard);
  document.addEventListener("keydown", (event) => {
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(event.target.tagName);
    if (!typing && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // A handheld scanner types wherever the focus is: gather its text in the code field.
      event.preventDefault();
      $("code-input").value += event.key;
      $("code-input").focus();
      return;
    }
    // Enter, or a page-turner pedal / keyboard key (PageDown), confirms.
    if (["Enter", "NumpadEnter", "PageDown"].includes(event.key) && ballot && event.target.id !== "code-input") {
      event.preventDefault();
      confirmBallot();
    }
  });
  window.addEventListener("online", flush);
  window.addEventListener("resize", () => { if (ballot) fitWorkArea(); drawPhoto(); });
  showQueue();
  loadRounds();
  flush();
});
