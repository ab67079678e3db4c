// The scrutineers' page: progress, conflicts and doubtful ballots, decisions, look-up.
"use strict";

const TEXTS = JSON.parse(document.getElementById("scrutineer-texts").textContent);
const ROUND_KEY = "union-scrutineer-round/v1";
const POLL_MS = 4000;
const MARKS = ["yes", "no", "abstain", "unreadable"];

function tx(key, params = {}) {
  return (TEXTS[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

function $(id) { return document.getElementById(id); }

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

let rounds = [];
let seenVersion = null;

function currentRoundId() { return Number($("round-select").value) || null; }
function roundById(id) { return rounds.find((r) => r.round_id === id) || null; }

async function loadRounds() {
  try {
    rounds = (await api("GET", "/api/counting/rounds")).rounds;
  } catch (error) {
    $("page-error").textContent = error.message;
    return;
  }
  const select = $("round-select");
  select.innerHTML = "";
  select.append(el("option", {value: "", textContent: tx("sc_pick_round")}));
  // Only the rounds of the body chosen in the top bar, each naming it.
  const body = Number(document.getElementById("round-steps").dataset.congress) || null;
  if (body) rounds = rounds.filter((r) => r.congress_id === body);
  for (const r of rounds) {
    select.append(el("option", {value: String(r.round_id),
      textContent: `${r.congress_name} · ${r.title} · ${tx("sc_round_n", {number: r.number})} · ${tx(`sc_state_${r.state}`)}`}));
  }
  const saved = Number(localStorage.getItem(ROUND_KEY));
  if (roundById(saved)) select.value = String(saved);
  else if (rounds.length) select.value = String(rounds[0].round_id);
  refresh(true);
}

async function refresh(force = false) {
  const roundId = currentRoundId();
  if (!roundId) return;
  localStorage.setItem(ROUND_KEY, String(roundId));
  let progress;
  try {
    progress = await api("GET", `/api/rounds/${roundId}/progress`);
  } catch (error) {
    $("page-error").textContent = error.message;
    return;
  }
  $("page-error").textContent = "";
  const returned = progress.ballots_returned ?? tx("sc_not_entered");
  $("fig-recorded").textContent = `${progress.recorded} / ${returned}`;
  $("fig-counted").textContent = String(progress.counted);
  $("fig-conflicts").textContent = String(progress.conflicts);
  $("fig-conflicts").className = progress.conflicts ? "bad" : "good";
  $("fig-valid").textContent = `${progress.valid} / ${progress.invalid}`;
  // I as the ballots page shows it (printed − voided, or entered by hand), never a figure of its own.
  $("fig-printed").textContent = String(progress.ballots_issued ?? 0);
  const body = $("tellers");
  body.innerHTML = "";
  for (const t of progress.tellers) {
    body.append(el("tr", {}, el("td", {textContent: t.name || t.username || tx("sc_teller_no_account")}), el("td", {textContent: t.ballots}),
                   el("td", {textContent: t.added}), el("td", {textContent: t.duplicates}),
                   el("td", {textContent: t.conflicts})));
  }
  showFlags(roundId);
  // The lists are reloaded only when the round's counting changed (its tally version).
  if (!force && progress.tally_version === seenVersion) return;
  seenVersion = progress.tally_version;
  const round = roundById(roundId);
  const [conflicts, doubtful] = await Promise.all([
    api("GET", `/api/rounds/${roundId}/conflicts`), api("GET", `/api/rounds/${roundId}/doubtful`)]);
  showList($("conflicts"), conflicts.ballots, round);
  showList($("doubtful"), doubtful.ballots, round);
}

function flagTime(iso) {
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? iso.slice(11, 16)
    : when.toLocaleTimeString(document.documentElement.lang, {hour: "2-digit", minute: "2-digit"});
}

async function showFlags(roundId) {
  // Ballots a teller flagged after confirming (issue 12); a tap looks the ballot up below.
  let flags;
  try { flags = (await api("GET", `/api/rounds/${roundId}/flags`)).flags; } catch (error) { return; }
  const box = $("flags");
  box.innerHTML = "";
  if (!flags.length) { box.append(el("li", {textContent: tx("sc_empty")})); return; }
  for (const f of flags) {
    const open = el("button", {type: "button", class: "link", textContent: f.serial});
    open.addEventListener("click", () => { $("lookup-code").value = f.serial; lookup(f.serial); });
    box.append(el("li", {"data-serial": f.serial}, open,
                  ` · ${f.by} · ${flagTime(f.flagged_at)}${f.note ? " · " + f.note : ""}`));
  }
}

function showList(box, ballots, round) {
  box.innerHTML = "";
  if (!ballots.length) { box.append(el("p", {textContent: tx("sc_empty")})); return; }
  for (const view of ballots) box.append(ballotCard(view, round));
}

function markText(version, ref) {
  if (version.invalid) return "—";
  return tx(`sc_${version.marks[ref] || "abstain"}`);
}

function verdictText(verdict) {
  return verdict.valid ? tx("sc_valid") : tx("sc_invalid") + inParens(verdict.reason_text);
}

function ballotCard(view, round) {
  const card = el("div", {class: `ballot ${view.status}`, "data-serial": view.serial});
  const voided = view.serial_state === "voided" ? tx("sc_voided") : "";
  card.append(el("h3", {textContent: `${view.serial} · ${tx(`sc_status_${view.status}`)}${voided}`}));
  const versions = view.versions.length ? view.versions : (view.current ? [view.current] : []);
  if (!versions.length || !round) return card;
  const table = el("table", {class: "versions"});
  const head = el("tr", {}, el("th", {textContent: tx("sc_candidate")}));
  versions.forEach((v, index) => {
    const names = (v.submissions || []).map((s) => s.by + (s.outcome === "decided" ? "✓" : "")).join(LIST_SEPARATOR);
    head.append(el("th", {textContent: names ? withColon(tx("sc_version", {n: index + 1})) + names
                                             : tx("sc_version", {n: index + 1})}));
  });
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const c of round.candidates) {
    const texts = versions.map((v) => markText(v, c.ref));
    const differs = new Set(texts).size > 1;
    const tr = el("tr", {class: differs ? "differs" : "", "data-ref": c.ref}, el("td", {textContent: c.name}));
    texts.forEach((text) => tr.append(el("td", {textContent: text})));
    body.append(tr);
  }
  const writeRow = el("tr", {}, el("td", {textContent: tx("sc_write_ins")}));
  versions.forEach((v) => writeRow.append(el("td", {textContent: v.write_ins.length
    ? v.write_ins.map((w) => `${w.name}${w.mark === "yes" ? "○" : ""}`).join(LIST_SEPARATOR) : tx("sc_none")})));
  body.append(writeRow);
  const verdictRow = el("tr", {}, el("td", {textContent: ""}));
  versions.forEach((v) => verdictRow.append(el("td", {class: v.verdict.valid ? "good" : "bad",
    textContent: (v.invalid ? `${withColon(tx("sc_sheet_invalid"))}${v.invalid_reason}${PAGE_IS_CHINESE ? "；" : "; "}` : "") + verdictText(v.verdict)})));
  body.append(verdictRow);
  table.append(body);
  card.append(table);
  for (const id of view.photos || []) {
    const link = el("a", {href: `/api/ballot-photos/${id}`, target: "_blank", class: "photo"});
    link.append(el("img", {src: `/api/ballot-photos/${id}`, alt: `${view.serial}`, loading: "lazy"}));
    card.append(link);
  }
  if (view.round_id && roundById(view.round_id) && roundById(view.round_id).state === "open" &&
      view.status !== "not_recorded") {
    card.append(decisionForm(view, versions, round));
  }
  return card;
}

function decisionForm(view, versions, round) {
  const box = el("div");
  const reason = el("input", {type: "text", placeholder: tx("sc_reason"), maxLength: 500, class: "reason"});
  const error = el("p", {class: "error", role: "alert"});
  const row = el("div", {class: "decide"}, reason);
  versions.forEach((v, index) => {
    if (v.submission_id === undefined) return;
    const button = el("button", {type: "button", class: "choose", textContent:
      `${tx("sc_choose")} ${index + 1}`});
    button.dataset.version = String(index + 1);
    button.addEventListener("click", () => decide(view, {submission_id: v.submission_id}, reason, error));
    row.append(button);
  });
  const enter = el("button", {type: "button", class: "enter", textContent: tx("sc_enter")});
  row.append(enter);
  box.append(row, error);
  enter.addEventListener("click", () => {
    enter.disabled = true;
    box.append(editor(view, versions[0], round, reason, error));
  });
  return box;
}

function editor(view, start, round, reason, error) {
  const box = el("div", {class: "editor"});
  const selects = {};
  const table = el("table");
  for (const c of round.candidates) {
    const select = el("select", {name: c.ref});
    for (const mark of MARKS) select.append(el("option", {value: mark, textContent: tx(`sc_${mark}`)}));
    select.value = start.marks[c.ref] || "abstain";
    selects[c.ref] = select;
    table.append(el("tr", {}, el("td", {textContent: c.name}), el("td", {}, select)));
  }
  const invalid = el("input", {type: "checkbox", checked: !!start.invalid});
  const invalidReason = el("input", {type: "text", value: start.invalid_reason || "", maxLength: 200});
  const submit = el("button", {type: "button", class: "primary", textContent: tx("sc_submit")});
  submit.addEventListener("click", () => {
    const marks = {};
    for (const [ref, select] of Object.entries(selects)) if (select.value !== "abstain") marks[ref] = select.value;
    decide(view, {marks, write_ins: start.write_ins || [], invalid: invalid.checked,
                  invalid_reason: invalidReason.value}, reason, error);
  });
  box.append(table, el("label", {}, invalid, tx("sc_sheet_invalid")), invalidReason, submit);
  return box;
}

async function decide(view, decision, reasonInput, error) {
  const reason = reasonInput.value.trim();
  if (!reason) { error.textContent = tx("sc_reason_needed"); reasonInput.focus(); return; }
  try {
    await api("POST", `/api/rounds/${view.round_id}/ballots/${encodeURIComponent(view.serial)}/resolve`,
              {...decision, reason});
  } catch (e) {
    error.textContent = e.message;
    return;
  }
  toast(tx("sc_decided", {serial: view.serial}));
  refresh(true);
  if ($("lookup-result").querySelector(`[data-serial="${view.serial}"]`)) lookup(view.serial);
}

async function lookup(code) {
  $("lookup-error").textContent = "";
  $("lookup-result").innerHTML = "";
  const value = code.trim();
  if (!value) return;
  // A scanned QR text names the serial in its fourth field.
  const typed = /^UB1:/i.test(value) ? (value.split(":")[3] || value) : value;
  try {
    const view = await api("GET", `/api/ballots/${encodeURIComponent(typed)}`);
    $("lookup-result").append(ballotCard(view, roundById(view.round_id)));
  } catch (error) {
    $("lookup-error").textContent = error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("round-select").addEventListener("change", () => { seenVersion = null; refresh(true); });
  $("lookup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    lookup($("lookup-code").value);
  });
  loadRounds();
  setInterval(() => refresh(false), POLL_MS);
});
