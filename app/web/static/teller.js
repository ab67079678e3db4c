// The teller's tablet: one ballot at a time, confirmed ballots queued until acknowledged.
//
// A confirmed ballot goes into a queue kept in localStorage (it survives a reload or a
// flat battery) and is sent, in order, until the server acknowledges it. Each carries a
// client_id made once, so a resend after a lost answer is the same submission.
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
        if (item.round_id === currentRoundId()) $("my-count").textContent = String(answer.my_count);
        remember(item, answer.status, verdictLine(answer.verdict));
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

function remember(item, status, detail) {
  const li = document.createElement("li");
  li.className = status;
  li.dataset.status = status;
  const label = status === "refused" ? tx("tl_refused") : tx(`tl_${status}`);
  li.textContent = `${item.label} — ${label}${detail ? "：" + detail : ""}`;
  const list = $("recent");
  list.prepend(li);
  while (list.children.length > 30) list.lastChild.remove();
  if (status === "refused" || status === "conflict") toast(li.textContent, "error");
}

function verdictLine(verdict) {
  if (!verdict) return "";
  return verdict.valid ? tx("tl_valid") : `${tx("tl_invalid")}（${verdict.reason_text}）`;
}

// ---- rounds ---------------------------------------------------------------------------

let rounds = [];
let layouts = {};

function currentRoundId() { return Number($("round-select").value) || null; }
function currentRound() { return rounds.find((r) => r.round_id === currentRoundId()) || null; }

async function loadRounds() {
  const select = $("round-select");
  try {
    rounds = (await api("GET", "/api/counting/rounds")).rounds.filter((r) => r.state === "open");
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
    option.textContent = `${r.title} · ${tx("tl_round_n", {number: r.number})}`;
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
  try {
    const progress = await api("GET", `/api/rounds/${round.round_id}/progress`);
    const me = progress.tellers.find((t) => t.user_id === Number($("teller-root").dataset.userId));
    if (me) $("my-count").textContent = String(me.ballots);
  } catch (error) { /* offline: the count comes with the next acknowledgement */ }
  ensureLayout(round.round_id);
  $("code-input").focus();
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
  ballot = {source, label, marks, unsure, writeIns, invalid: false, reason: "", scan: reading, image: null,
            state: "new"};
  $("ballot-label").textContent = label;
  $("ballot-note").textContent = "";
  $("ballot-error").textContent = "";
  $("sheet-invalid").checked = false;
  $("invalid-reason").value = "";
  $("photo-wrap").hidden = true;
  $("ballot-card").hidden = false;
  renderMarks();
  renderWriteIns();
  judgeSoon();
}

function renderMarks() {
  const round = currentRound();
  const body = $("marks");
  body.innerHTML = "";
  for (const c of round.candidates) {
    const tr = document.createElement("tr");
    tr.dataset.ref = c.ref;
    if (ballot.unsure.has(c.ref)) tr.className = "unsure";
    const name = document.createElement("td");
    name.className = "name";
    name.textContent = c.name + (c.note ? `（${c.note}）` : "");
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
    const answer = await api("POST", `/api/rounds/${currentRoundId()}/ballots/preview`, readingBody());
    if (seq !== judgeSeq || !ballot) return;
    const v = answer.verdict;
    box.className = "verdict " + (v.valid ? "good" : "bad");
    box.dataset.valid = String(v.valid);
    box.textContent = v.valid ? `${tx("tl_valid")} · ${tx("tl_approvals", {n: v.approvals, seats: currentRound().seats})}`
      : `${tx("tl_invalid")}：${v.reason_text}`;
  } catch (error) {
    if (seq !== judgeSeq) return;
    box.className = "verdict";
    box.dataset.valid = "";
    box.textContent = error instanceof ApiError ? error.message : tx("tl_verdict_offline");
  }
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
  queue.push({round_id: currentRoundId(), body, label: ballot.label, queued_at: new Date().toISOString()});
  discard();
  flush();
  // The next sheet may already have been scanned while this one was being checked.
  if ($("code-input").value.trim()) codeEntered($("code-input").value);
}

function discard() {
  ballot = null;
  judgeSeq++;
  $("ballot-card").hidden = true;
  $("verdict").textContent = "";
  $("code-input").focus();
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
  startBallot(source, label);
  ballot.state = state;
  $("ballot-note").textContent = state === "recorded" ? tx("tl_already_recorded")
    : state === "conflict" ? tx("tl_in_conflict") : state === "unverified" ? tx("tl_unverified") : "";
}

async function photoTaken(blob) {
  $("entry-error").textContent = "";
  if (!currentRound()) { $("entry-error").textContent = tx("tl_pick_round"); return; }
  const form = new FormData();
  form.append("photo", blob, "ballot.jpg");
  $("entry-error").textContent = tx("tl_scanning");
  let reading;
  try {
    reading = await api("POST", `/api/rounds/${currentRoundId()}/scan`, form);
  } catch (error) {
    $("entry-error").textContent = error instanceof ApiError ? error.message : tx("tl_scan_offline");
    return;
  }
  $("entry-error").textContent = "";
  await ensureLayout(currentRoundId());
  // Everything is ready before the card opens, so the reading and the photo show together.
  const image = await loadImage(blob);
  const photo = image ? await shrink(image) : null;
  startBallot({serial: reading.serial}, reading.serial, reading);
  ballot.image = image;
  ballot.photo = photo;
  $("photo-wrap").hidden = false;
  drawPhoto();
}

function loadImage(blob) {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null);
    img.src = URL.createObjectURL(blob);
  });
}

function shrink(img, longest = 1600) {
  // A photo small enough to keep for the scrutineers, still sharp enough to read the marks.
  const scale = Math.min(1, longest / Math.max(img.naturalWidth, img.naturalHeight));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(img.naturalWidth * scale);
  canvas.height = Math.round(img.naturalHeight * scale);
  canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
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
  const width = Math.min(1200, canvas.parentElement.clientWidth * (window.devicePixelRatio || 1));
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
    video.srcObject = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment",
                                                                         width: {ideal: 3000}}});
  } catch (error) {
    $("entry-error").textContent = error.message;
    return;
  }
  $("camera-box").hidden = false;
  await video.play();
}

function shoot() {
  const video = $("camera");
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  canvas.toBlob((blob) => blob && photoTaken(blob), "image/jpeg", 0.92);
}

// ---- wiring ---------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("round-select").addEventListener("change", roundChanged);
  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    codeEntered($("code-input").value);
  });
  $("photo-input").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (file) photoTaken(file);
  });
  // A live stream needs a secure context (HTTPS or localhost); plain HTTP uses the file input.
  if (window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("camera-open").hidden = false;
    $("camera-open").addEventListener("click", startCamera);
    $("camera-shot").addEventListener("click", shoot);
  }
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
    if (event.key === "Enter" && ballot && event.target.id !== "code-input") {
      event.preventDefault();
      confirmBallot();
    }
  });
  window.addEventListener("online", flush);
  window.addEventListener("resize", drawPhoto);
  showQueue();
  loadRounds();
  flush();
});
