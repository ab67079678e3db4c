// The copier page: upload a scanned stack, follow its reading, review and confirm.
"use strict";

(function () {
  const T = JSON.parse(document.getElementById("batch-texts").textContent);
  const canUpload = document.getElementById("batch-root").dataset.canUpload === "1";
  const $ = (id) => document.getElementById(id);
  const fmt = (key, params = {}) => (T[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  };

  let rounds = [];
  let roundId = null;
  let batch = null;        // the batch under review, with its pages
  let polling = null;
  let checking = null;     // the page being checked
  let choice = {};         // ref → mark chosen for the checked page

  function currentRound() { return rounds.find((r) => r.round_id === roundId); }

  // A batch as people name it: its file and the minute it was uploaded, Beijing time as
  // on the printed pages (never its number).
  function batchName(b) {
    const at = new Date(b.created_at);
    const time = Number.isNaN(at.getTime()) ? "" :
      at.toLocaleTimeString(document.documentElement.lang || undefined, {hour: "2-digit", minute: "2-digit", timeZone: "Asia/Shanghai"});
    return time ? fmt("bt_batch_name", {name: b.source_name, time}) : b.source_name;
  }

  async function loadRounds() {
    const data = await api("GET", "/api/counting/rounds");
    rounds = data.rounds.filter((r) => r.state === "open");
    const select = $("round-select");
    select.innerHTML = "";
    if (!rounds.length) {
      select.append(el("option", {value: ""}, T.bt_no_rounds));
      return;
    }
    for (const r of rounds) {
      select.append(el("option", {value: r.round_id}, `${r.title} · ${fmt("bt_round_n", {number: r.number})}`));
    }
    const kept = Number(localStorage.getItem("batch.round"));
    roundId = rounds.some((r) => r.round_id === kept) ? kept : rounds[0].round_id;
    select.value = roundId;
    await roundChanged();
  }

  async function roundChanged() {
    localStorage.setItem("batch.round", roundId);
    const link = $("cross-link");
    if (link) link.href = `/batch/rounds/${roundId}/cross-check`;
    $("review-card").hidden = true;
    $("check-card").hidden = true;
    await loadBatches();
  }

  async function loadBatches() {
    const data = await api("GET", `/api/rounds/${roundId}/scan-batches`);
    const list = $("batch-list");
    list.innerHTML = "";
    for (const b of data.batches) {
      const open = b.counts.clean + b.counts.to_check;
      const line = fmt("bt_batch_line", {name: batchName(b), pages: b.pages, recorded: b.counts.recorded,
                                         open, rejected: b.counts.rejected});
      list.append(el("li", {}, `${line} (${T["bt_state_" + b.state] || b.state})`,
                     el("button", {type: "button", onclick: () => follow(b.id)}, T.bt_open)));
    }
    const reading = data.batches.find((b) => b.state === "reading");
    if (reading && !polling) follow(reading.id);
  }

  async function upload(event) {
    event.preventDefault();
    const file = $("file-input").files[0];
    if (!file || !roundId) return;
    $("upload-error").textContent = "";
    const form = new FormData();
    form.append("file", file);
    $("upload-button").disabled = true;
    showProgress(T.bt_uploading, 0, 1);
    try {
      const created = await api("POST", `/api/rounds/${roundId}/scan-batches`, form);
      $("file-input").value = "";
      follow(created.id);
    } catch (error) {
      $("progress-card").hidden = true;
      $("upload-error").textContent = error.message;
    } finally {
      $("upload-button").disabled = false;
    }
  }

  function showProgress(text, done, total) {
    $("progress-card").hidden = false;
    $("progress-text").textContent = text;
    $("progress-bar").max = Math.max(total, 1);
    $("progress-bar").value = done;
  }

  async function follow(batchId) {
    clearTimeout(polling);
    polling = null;
    let data;
    try {
      data = await api("GET", `/api/scan-batches/${batchId}`);
    } catch (error) {
      toast(error.message, "error");
      return;
    }
    if (data.state === "reading") {
      showProgress(data.pages ? fmt("bt_reading", {done: data.done, pages: data.pages}) : T.bt_opening,
                   data.done, data.pages);
      polling = setTimeout(() => follow(batchId), 1000);
      return;
    }
    if (data.state === "failed") {
      const reason = data.error === "interrupted" ? T.bt_interrupted : (data.error_text || data.error);
      showProgress(fmt("bt_failed", {reason}), 0, 1);
      $("progress-text").className = "error";
      await loadBatches();
      return;
    }
    $("progress-text").className = "";
    showProgress(fmt("bt_ready", {pages: data.pages, seconds: Math.round(data.seconds || 0)}), data.pages, data.pages);
    batch = data;
    showReview();
    $("review-card").scrollIntoView({block: "start"});
    await loadBatches();
  }

  function pageState(p) {
    if (p.state === "recorded") return ["recorded", T["bt_" + p.outcome] || p.outcome];
    if (p.refused === "blank_page") return ["blank", p.refused_text];  // skipped, nothing to pull
    if (p.refused) return ["refused", p.refused_text];
    if (p.needs_person) return ["check", T.bt_check];
    return ["clean", T.bt_clean];
  }

  function showReview() {
    $("review-card").hidden = false;
    $("review-name").textContent = batchName(batch);
    $("rejects-link").href = `/batch/${batch.id}/rejects`;
    const clean = batch.counts.clean;
    const button = $("confirm-clean");
    if (button) {
      button.textContent = clean ? fmt("bt_confirm_clean", {n: clean}) : T.bt_nothing_clean;
      button.disabled = !clean;
    }
    const next = $("check-next");
    if (next) next.disabled = !batch.counts.to_check;
    $("review-summary").textContent = "";
    const grid = $("page-grid");
    grid.innerHTML = "";
    for (const p of batch.page_list) {
      const [kind, words] = pageState(p);
      const picture = p.image_url ? el("img", {src: p.image_url, loading: "lazy", alt: fmt("bt_page", {page: p.page})})
                                  : el("div", {class: "noimg"}, words);
      const tile = el("button", {type: "button", class: `tile ${kind}`, "data-page": p.page,
                                 onclick: () => { if (kind === "check" && canUpload) openCheck(p); }},
                      picture,
                      el("div", {class: "cap"}, el("div", {}, fmt("bt_page", {page: p.page}) + (p.serial ? ` · ${p.serial}` : "")),
                         el("div", {class: "state"}, words)));
      grid.append(tile);
    }
  }

  async function confirmClean() {
    const button = $("confirm-clean");
    button.disabled = true;
    try {
      const outcome = await api("POST", `/api/scan-batches/${batch.id}/confirm`);
      $("review-summary").textContent = fmt("bt_confirmed", outcome);
      toast(fmt("bt_confirmed", outcome));
    } catch (error) {
      toast(error.message, "error");
    }
    await refresh();
    $("review-summary").textContent = button.dataset.last || $("review-summary").textContent;
  }

  async function refresh() {
    const summary = $("review-summary").textContent;
    batch = await api("GET", `/api/scan-batches/${batch.id}`);
    showReview();
    $("review-summary").textContent = summary;
    await loadBatches();
  }

  function nextToCheck(after = 0) {
    const open = batch.page_list.filter((p) => p.state === "staged" && !p.refused && p.needs_person);
    return open.find((p) => p.page > after) || open[0] || null;
  }

  function seg(options, current, onPick) {
    const box = el("div", {class: "seg"});
    for (const [value, label] of options) {
      box.append(el("button", {type: "button", class: `${value}${value === current ? " on" : ""}`, "data-value": value,
                               onclick: (event) => {
                                 for (const b of box.children) b.classList.remove("on");
                                 event.currentTarget.classList.add("on");
                                 onPick(value);
                               }}, label));
    }
    return box;
  }

  function openCheck(p) {
    checking = p;
    choice = {...p.marks};
    $("check-card").hidden = false;
    $("check-title").textContent = fmt("bt_page", {page: p.page}) + (p.serial ? ` · ${p.serial}` : "");
    $("check-image").src = p.image_url || "";
    $("check-error").textContent = "";
    $("check-invalid").checked = false;
    $("check-reason").hidden = true;
    $("check-reason").value = "";
    const body = $("check-marks");
    body.innerHTML = "";
    const round = currentRound();
    const names = Object.fromEntries((round ? round.candidates : []).map((c) => [c.ref, c.name]));
    const options = [["yes", T.bt_yes], ["no", T.bt_no], ["abstain", T.bt_abstain], ["unreadable", T.bt_unreadable]];
    // In the ballot's own order (R9 stroke order, as printed), not the order of the keys.
    const printed = (round ? round.candidates.map((c) => c.ref) : []).filter((ref) => ref in p.marks);
    const order = printed.concat(Object.keys(p.marks).filter((ref) => !printed.includes(ref)));
    for (const ref of order) {
      const row = el("tr", {class: p.marks[ref] === "unsure" ? "unsure" : "", "data-ref": ref});
      row.append(el("td", {class: "name"}, names[ref] || ref),
                 el("td", {}, seg(options, p.marks[ref], (value) => { choice[ref] = value; row.classList.remove("unsure"); })));
      body.append(row);
    }
    const writeIns = $("check-write-ins");
    writeIns.innerHTML = "";
    for (const w of p.write_ins) {
      if (!w.has_name && w.mark !== "unsure") continue;
      const name = el("input", {type: "text", class: "wi-name", "data-row": w.row, placeholder: T.bt_write_in_name, maxlength: "40"});
      const holder = el("div", {class: `write-in${w.mark === "unsure" ? " unsure" : ""}`, "data-row": w.row, "data-mark": w.mark === "unsure" ? "" : w.mark});
      holder.append(el("strong", {}, fmt("bt_write_in", {row: w.row + 1})), " ", name,
                    seg([["yes", T.bt_marked], ["none", T.bt_not_marked]], w.mark, (value) => { holder.dataset.mark = value; }));
      writeIns.append(holder);
    }
    $("check-card").scrollIntoView({behavior: "smooth", block: "start"});
  }

  async function confirmCheck() {
    const error = $("check-error");
    error.textContent = "";
    const invalid = $("check-invalid").checked;
    if (!invalid && Object.values(choice).some((m) => m === "unsure")) { error.textContent = T.bt_decide_first; return; }
    const writeIns = [];
    for (const holder of $("check-write-ins").children) {
      const name = holder.querySelector(".wi-name").value.trim();
      if (!holder.dataset.mark) { if (!invalid) { error.textContent = T.bt_decide_first; return; } continue; }
      if (!name && holder.dataset.mark === "yes" && !invalid) { error.textContent = T.bt_name_needed; return; }
      if (name) writeIns.push({name, mark: holder.dataset.mark});
    }
    const reason = $("check-reason").value.trim();
    if (invalid && !reason) { error.textContent = T.bt_reason_needed; return; }
    const marks = {};
    for (const [ref, mark] of Object.entries(choice)) marks[ref] = mark === "unsure" ? "unreadable" : mark;
    try {
      const done = await api("POST", `/api/scan-batches/${batch.id}/pages/${checking.page}/confirm`,
                             {marks, write_ins: writeIns, invalid, invalid_reason: reason});
      toast(fmt("bt_page_done", {page: done.page, outcome: T["bt_" + done.outcome] || done.outcome}));
    } catch (problem) {
      error.textContent = problem.message;
      return;
    }
    const page = checking.page;
    await refresh();
    const next = nextToCheck(page);
    if (next) openCheck(next);
    else { $("check-card").hidden = true; toast(T.bt_all_checked); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("round-select").addEventListener("change", (event) => { roundId = Number(event.target.value); roundChanged(); });
    if (canUpload) {
      $("upload-form").addEventListener("submit", upload);
      $("confirm-clean").addEventListener("click", confirmClean);
      $("check-next").addEventListener("click", () => { const p = nextToCheck(); if (p) openCheck(p); });
      $("check-confirm").addEventListener("click", confirmCheck);
      $("check-skip").addEventListener("click", () => { const p = nextToCheck(checking.page); if (p && p !== checking) openCheck(p); });
      $("check-invalid").addEventListener("change", (event) => { $("check-reason").hidden = !event.target.checked; });
    }
    loadRounds().catch((error) => toast(error.message, "error"));
  });
})();
