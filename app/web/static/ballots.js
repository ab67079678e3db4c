// The ballots page (/admin/ballots): print batches, void spares, enter I and R.
// Its words come from the page (#ballots-texts), so no inline script is needed (CSP).
"use strict";
const PAGE = JSON.parse(document.getElementById("ballots-texts").textContent);
const TEXT = PAGE.text;
const CONGRESS_ID = PAGE.congress_id;
const WANTED_ROUND = PAGE.wanted_round;
const LANG = new URLSearchParams(location.search).get("lang");
const q = (path) => LANG ? `${path}${path.includes("?") ? "&" : "?"}lang=${LANG}` : path;
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
const select = document.getElementById("round-select");
let pollTimer = null;

function roundId() { return Number(select.value); }

function showError(id, error) {
  document.getElementById(id).textContent = error ? error.message : "";
}

function showAccounting(a) {
  document.getElementById("fig-printed").textContent = a.printed;
  document.getElementById("fig-voided").textContent = a.voided;
  document.getElementById("fig-voided-detail").textContent =
    fill(TEXT.voided_detail, {scanned: a.voided_scanned, by_count: a.voided_by_count});
  document.getElementById("fig-issued").textContent = a.issued;
  document.getElementById("fig-issued-how").textContent = a.issued_entered ? TEXT.issued_entered : TEXT.issued_auto;
  document.getElementById("fig-returned").textContent = a.returned === null ? "–" : a.returned;
  const r2 = document.getElementById("fig-r2");
  r2.className = a.round_valid === null ? "" : (a.round_valid ? "r2-valid" : "r2-void");
  r2.textContent = a.round_valid === null ? TEXT.r2_unknown : (a.round_valid ? TEXT.r2_valid : TEXT.r2_void);
  // I > P (issue 16): acknowledged with a reason, or still to be (voided spares or a reason).
  const over = a.present !== null && a.present !== undefined && a.issued > a.present;
  const ack = a.issued_over_present;
  document.getElementById("fig-over-present-row").hidden = !over;
  document.getElementById("fig-over-present").textContent = !over ? "" : ack
    ? fill(TEXT.over_present_ack, {issued: a.issued, present: a.present, reason: ack.reason})
    : fill(TEXT.over_present, {issued: a.issued, present: a.present});
  const list = document.getElementById("batches");
  // Batches are numbered 1, 2, … within the round, never by their database id.
  list.replaceChildren(...a.batches.map((b, index) => {
    const item = document.createElement("li");
    const at = new Date(b.created_at).toLocaleString("sv-SE", {timeZone: "Asia/Shanghai"}).slice(0, 16);
    item.textContent = fill(TEXT.batch_line, {number: index + 1, printed: b.printed, at});
    return item;
  }));
}

async function loadAccounting() {
  if (!select.value) return;
  try {
    showAccounting(await api("GET", q(`/api/rounds/${roundId()}/issuance`)));
  } catch (error) { showError("figures-error", error); }
}

async function loadRounds() {
  const rounds = await api("GET", q(CONGRESS_ID ? `/api/ballot-rounds?congress=${CONGRESS_ID}` : "/api/ballot-rounds"));
  document.getElementById("no-rounds").hidden = rounds.length > 0;
  select.replaceChildren(...rounds.map((r) => {
    const option = document.createElement("option");
    option.value = r.round_id;
    option.textContent = `${r.congress_name} · ${r.contest_title} · ${fill(TEXT.round_n, {number: r.number})} · ${TEXT["state_" + r.state] || r.state}`;
    return option;
  }));
  const open = rounds.find((r) => r.round_id === WANTED_ROUND) || rounds.find((r) => r.state === "open");
  if (open) select.value = open.round_id;
  await loadAccounting();
}

function showJob(job) {
  const bar = document.getElementById("print-progress");
  bar.hidden = false;
  bar.max = job.count;
  bar.value = job.done;
  document.getElementById("print-status").textContent = fill(TEXT.progress, {done: job.done, total: job.count});
  const link = document.getElementById("print-download");
  if (job.state === "done") {
    link.href = job.download_url;
    link.textContent = fill(TEXT.download, {batch: job.batch});
    link.hidden = false;
    document.getElementById("print-done").hidden = false;
    document.getElementById("print-delete").dataset.job = job.id;
  }
  document.getElementById("print-error").textContent = job.error ? job.error.message : "";
}

async function poll(jobId) {
  try {
    const job = await api("GET", q(`/api/print-jobs/${jobId}`));
    showJob(job);
    if (job.state === "running") {
      pollTimer = setTimeout(() => poll(jobId), 400);
    } else {
      document.getElementById("print-go").disabled = false;
      await loadAccounting();
    }
  } catch (error) {
    showError("print-error", error);
    document.getElementById("print-go").disabled = false;
  }
}

document.getElementById("print-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("print-error", null);
  document.getElementById("print-download").hidden = true;
  document.getElementById("print-done").hidden = true;
  const count = Number(document.getElementById("print-count").value);
  document.getElementById("print-go").disabled = true;
  try {
    const job = await api("POST", q(`/api/rounds/${roundId()}/print-jobs`), {count});
    showJob(job);
    clearTimeout(pollTimer);
    poll(job.id);
  } catch (error) {
    showError("print-error", error);
    document.getElementById("print-go").disabled = false;
  }
});

document.getElementById("print-delete").addEventListener("click", async (event) => {
  try {
    await api("DELETE", q(`/api/print-jobs/${event.target.dataset.job}`));
    document.getElementById("print-download").hidden = true;
    document.getElementById("print-done").hidden = true;
    toast(TEXT.deleted);
  } catch (error) { showError("print-error", error); }
});

document.getElementById("void-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("void-error", null);
  const input = document.getElementById("void-code");
  const text = input.value.trim();
  // A scanner types the whole QR payload; a person types the short code.
  const body = text.startsWith("UB1:") ? {payload: text} : {code: text};
  try {
    const result = await api("POST", q(`/api/rounds/${roundId()}/spares/void`), body);
    showAccounting(result.accounting);
    toast(fill(TEXT.voided_one, {serial: result.serial}));
    input.value = "";
    input.focus();
  } catch (error) { showError("void-error", error); }
});

function figureForm(formId, inputId, url, key, allowEmpty) {
  document.getElementById(formId).addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(formId === "void-count-form" ? "void-error" : "figures-error", null);
    const raw = document.getElementById(inputId).value;
    const value = raw === "" && allowEmpty ? null : Number(raw);
    try {
      showAccounting(await api("PUT", q(`/api/rounds/${roundId()}/${url}`), {[key]: value}));
      toast(TEXT.saved);
    } catch (error) {
      showError(formId === "void-count-form" ? "void-error" : "figures-error", error);
    }
  });
}
figureForm("void-count-form", "void-count", "spares/count", "voided_by_count", false);

// I by hand: above P it is refused until a reason is written (the refusal names I and P).
document.getElementById("issued-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("figures-error", null);
  const raw = document.getElementById("issued-input").value;
  const reasonLabel = document.getElementById("issued-reason-label");
  const reason = document.getElementById("issued-reason").value.trim();
  const body = {issued: raw === "" ? null : Number(raw)};
  if (!reasonLabel.classList.contains("hidden") && reason) body.reason = reason;
  try {
    showAccounting(await api("PUT", q(`/api/rounds/${roundId()}/issued`), body));
    reasonLabel.classList.add("hidden");
    document.getElementById("issued-reason").value = "";
    toast(TEXT.saved);
  } catch (error) {
    showError("figures-error", error);
    if (error.code === "issued_over_present" || error.code === "issued_over_present_reason") {
      reasonLabel.classList.remove("hidden");
      document.getElementById("issued-reason").focus();
    }
  }
});
figureForm("returned-form", "returned-input", "returned", "returned", false);

select.addEventListener("change", loadAccounting);
loadRounds();
// R2 live: the figures follow what others enter (the chief scrutineer, another desk).
setInterval(loadAccounting, 5000);
