// The secretariat's pages: overview, roster import, attendance check-in, contests.
// Everything goes through the JSON API with api() from app.js; the texts come from the
// server in the page's language (admin-data), so this file holds no Chinese or English.
"use strict";

const ADMIN = JSON.parse(document.getElementById("admin-data").textContent);
const CID = ADMIN.congress_id;
const POLL_MS = 2000;

function tr(key, params = {}) {
  const text = ADMIN.texts[key] || key;
  return text.replace(/\{(\w+)\}/g, (_m, name) => (name in params ? String(params[name]) : `{${name}}`));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function debounce(fn, ms = 250) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// ---- the live quorum bar (R1), on every page ------------------------------------------

function showQuorum(q) {
  const set = (id, value) => { const node = document.getElementById(id); if (node) node.textContent = value; };
  set("q-entitled", q.entitled);
  set("q-present", q.present);
  set("q-roster", q.roster);
  const checks = document.getElementById("q-checks");
  if (!checks) return;
  if (!q.entitled) {  // an empty roster has no quorum to meet: never shown as met
    checks.replaceChildren(el("span", {class: "q-check not-met", id: "q-empty"}, tr("admin_quorum_empty")));
    return;
  }
  checks.replaceChildren(...q.checks.map((check) => el("span", {class: "q-check", "data-rule": check.rule},
    tr("admin_needed", {rule: tr(`rule_${check.rule}`)}), " ", el("b", {class: "q-needed"}, check.needed), " ",
    el("span", {class: check.met ? "met" : "not-met"},
       check.met ? tr("admin_quorum_met") : tr("admin_quorum_not_met")))));
}

async function pollQuorum() {
  if (!CID) return;
  try {
    showQuorum(await api("GET", `/api/congresses/${CID}/quorum`));
  } catch (error) { /* the next poll tries again */ }
  setTimeout(pollQuorum, POLL_MS);
}

// ---- overview ---------------------------------------------------------------------------

function congressBody(form) {
  const data = new FormData(form);
  return {name: data.get("name"), kind: data.get("kind"), assembly: data.get("assembly"),
          members: Number(data.get("members")), live_board_public: data.get("live_board_public") === "on",
          place: data.get("place"), issuing_body: data.get("issuing_body"),
          ballot_stamp: data.get("ballot_stamp") === "on"};
}

function initOverview() {
  const form = document.getElementById("congress-form");
  if (form) form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("congress-error");
    error.textContent = "";
    try {
      await api("PATCH", `/api/congresses/${CID}`, congressBody(form));
      toast(tr("admin_saved"));
    } catch (failure) { error.textContent = failure.message; }
  });
  const fresh = document.getElementById("new-congress-form");
  if (fresh) fresh.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("new-congress-error");
    error.textContent = "";
    try {
      const created = await api("POST", "/api/congresses", congressBody(fresh));
      location.href = `/admin?congress=${created.id}`;
    } catch (failure) { error.textContent = failure.message; }
  });
  const archive = document.getElementById("archive-button");
  if (archive) archive.addEventListener("click", async () => {
    try {
      await api("POST", `/api/congresses/${CID}/archive`, {archived: archive.dataset.archived !== "true"});
      location.href = `/admin?congress=${CID}`;
    } catch (failure) { document.getElementById("archive-error").textContent = failure.message; }
  });
  if (CID && form) loadOverviewContests();
}

async function loadOverviewContests() {
  const body = document.querySelector("#overview-contests tbody");
  const {contests} = await api("GET", `/api/congresses/${CID}/contests`);
  body.replaceChildren(...contests.map((c) => el("tr", {},
    el("td", {}, el("a", {href: `/admin/contests?congress=${CID}#contest-${c.id}`}, c.title)),
    el("td", {}, tr(`method_${c.method}`)), el("td", {}, c.seats), el("td", {}, c.candidates.length),
    el("td", {}, c.slate.ok ? el("span", {class: "ok"}, "✓")
                            : el("span", {class: "error"}, tr(c.method === "equal" ? "admin_slate_needs_exactly" : "admin_slate_needs_at_least",
                                                  {n: c.slate.min_candidates}))),
    el("td", {}, c.rounds.map((r) => tr(`state_${r.state}`)).join(" / ")))));
}

// ---- roster -----------------------------------------------------------------------------

function personState(p) {
  return p.present ? el("span", {class: "present"}, tr("admin_checked_in"))
                   : el("span", {class: "absent"}, tr("admin_not_checked_in"));
}

async function loadRoster() {
  const q = document.getElementById("roster-search").value;
  const data = await api("GET", `/api/congresses/${CID}/people?limit=500&q=${encodeURIComponent(q)}`);
  document.getElementById("roster-count").textContent = tr("admin_shown", {total: data.total, shown: data.people.length});
  document.querySelector("#roster-table tbody").replaceChildren(...data.people.map((p) => el("tr", {"data-person": p.id},
    el("td", {}, p.name), el("td", {}, p.unit), el("td", {}, p.gender),
    el("td", {}, p.entitled ? tr("admin_yes") : tr("admin_retained")), el("td", {}, p.note),
    el("td", {}, el("code", {}, p.card_code || "")), el("td", {}, personState(p)))));
}

function initRoster() {
  const form = document.getElementById("roster-form");
  const errorTable = document.getElementById("roster-errors");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = document.getElementById("roster-error");
    const result = document.getElementById("roster-result");
    message.textContent = ""; result.textContent = ""; errorTable.hidden = true;
    const data = new FormData();
    data.append("file", document.getElementById("roster-file").files[0]);
    data.append("replace", document.getElementById("roster-replace").checked ? "true" : "false");
    try {
      const answer = await api("POST", `/api/congresses/${CID}/roster`, data);
      result.textContent = tr("admin_imported", {added: answer.added}) +
        (answer.ignored_columns.length ? " " + tr("admin_ignored", {columns: answer.ignored_columns.join(LIST_SEPARATOR)}) : "");
      showQuorum(answer.quorum);
      form.reset();
      loadRoster();
    } catch (failure) {
      message.textContent = failure.message;
      const rows = failure.body && failure.body.error && failure.body.error.details && failure.body.error.details.rows;
      if (rows) {
        errorTable.querySelector("tbody").replaceChildren(...rows.map((row) => el("tr", {},
          el("td", {}, row.row), el("td", {}, row.column_title || ""), el("td", {}, row.message))));
        errorTable.hidden = false;
      }
    }
  });
  document.getElementById("roster-search").addEventListener("input", debounce(loadRoster));
  loadRoster();
}

// ---- attendance -------------------------------------------------------------------------

function say(text, kind) {
  const box = document.getElementById("attendance-message");
  box.textContent = text;
  box.className = `message ${kind}`;
}

function remember(person) {
  const list = document.getElementById("recent");
  const existing = list.querySelector(`[data-person="${person.id}"]`);
  if (existing) existing.remove();
  list.prepend(el("li", {"data-person": person.id},
    el("span", {}, person.name + inParens(person.unit || "—")),
    el("button", {type: "button", class: "undo", onclick: () => undo(person)}, tr("admin_undo"))));
  while (list.children.length > 15) list.lastElementChild.remove();
}

async function checkIn(body) {
  try {
    const answer = await api("POST", `/api/congresses/${CID}/attendance`, body);
    const p = answer.person;
    showQuorum(answer.quorum);
    if (answer.already_present) say(tr("admin_already", {name: p.name, unit: p.unit || "—"}), "warn");
    else say(tr("admin_done_check_in", {name: p.name, unit: p.unit || "—"}), "ok");
    remember(p);
  } catch (failure) {
    say(failure.message, "error");
  }
  loadAttendance();
}

async function undo(person) {
  try {
    const answer = await api("DELETE", `/api/congresses/${CID}/attendance/${person.id}`);
    showQuorum(answer.quorum);
    say(tr("admin_done_undo", {name: person.name, unit: person.unit || "—"}), "ok");
    const item = document.querySelector(`#recent [data-person="${person.id}"]`);
    if (item) item.remove();
  } catch (failure) {
    say(failure.message, "error");
  }
  loadAttendance();
}

async function loadAttendance() {
  const q = document.getElementById("attendance-search").value.trim();
  const body = document.querySelector("#attendance-table tbody");
  if (!q) { body.replaceChildren(); return; }
  const data = await api("GET", `/api/congresses/${CID}/people?limit=50&q=${encodeURIComponent(q)}`);
  body.replaceChildren(...data.people.map((p) => el("tr", {"data-person": p.id},
    el("td", {}, p.name), el("td", {}, p.unit), el("td", {}, p.note),
    el("td", {}, p.entitled ? personState(p) : el("span", {class: "muted retained"}, tr("admin_retained_no_check_in"))),
    el("td", {}, !p.entitled ? "" : p.present
      ? el("button", {type: "button", class: "undo", onclick: () => undo(p)}, tr("admin_undo"))
      : el("button", {type: "button", class: "primary check-in", onclick: () => checkIn({person_id: p.id})},
           tr("admin_check_in"))))));
}

function initAttendance() {
  const scan = document.getElementById("scan-input");
  document.getElementById("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = scan.value.trim();
    scan.value = "";
    if (code) checkIn({card_code: code});
    scan.focus();
  });
  document.getElementById("attendance-search").addEventListener("input", debounce(loadAttendance));
}

// ---- contests ---------------------------------------------------------------------------

function parseCandidates(text) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).map((line) => {
    const [name, ...rest] = line.split(/[，,\t]/);
    return {name: name.trim(), note: rest.join(",").trim()};
  });
}

function settingInput(name, value) {
  if (name === "differential_rate_percent") {
    return el("input", {type: "number", name, min: 0, max: 100, value});
  }
  if (name === "write_in_needs_yes_mark") {
    return el("select", {name}, el("option", {value: "true", selected: value === true}, tr("admin_true") + tr("admin_default")),
      el("option", {value: "false", selected: value === false}, tr("admin_false")));
  }
  const prefix = {quorum: "rule_", threshold_base: "threshold_", tie_break: "tie_", shortfall: "shortfall_",
                  unreadable: "unreadable_"}[name];
  return el("select", {name}, ADMIN.settings[name].map((choice, index) =>
    el("option", {value: choice, selected: value === choice},
       tr(prefix + choice) + (index === 0 ? tr("admin_default") : ""))));
}

function readSettings(form) {
  const rules = {};
  for (const field of form.querySelectorAll("[name]")) {
    if (field.name === "differential_rate_percent") rules[field.name] = Number(field.value);
    else if (field.name === "write_in_needs_yes_mark") rules[field.name] = field.value === "true";
    else rules[field.name] = field.value;
  }
  return rules;
}

function contestCard(c) {
  const editable = c.editable;
  const status = el("div", {class: "slate-status"});
  if (c.slate.ok) status.append(el("p", {class: "ok"}, tr("admin_slate_ok")));
  for (const problem of c.slate.problems) status.append(el("p", {class: "error"}, problem));
  if (c.size_warning) status.append(el("p", {class: "warn size-warning"}, `${tr("admin_size_note")}${c.size_warning}`));
  for (const u of c.unknown_characters) {
    status.append(el("p", {class: "warn"}, tr("admin_unknown_chars", {char: u.char, names: u.names.join(LIST_SEPARATOR)})));
  }
  const slateBody = (list) => list.map((x) => ({id: x.id, name: x.name, note: x.note}));
  const patch = async (body, box) => {
    try { await api("PATCH", `/api/contests/${c.id}`, body); await loadContests(); }
    catch (failure) { box.textContent = failure.message; }
  };
  const candidateError = el("p", {class: "error candidate-error", role: "alert"});
  const candidates = el("table", {class: "candidates"},
    el("tbody", {}, c.candidates.map((x) => el("tr", {},
      el("td", {}, x.name), el("td", {class: "muted"}, x.note),
      el("td", {}, editable ? el("button", {type: "button", class: "remove-candidate",
        onclick: () => patch({candidates: slateBody(c.candidates.filter((y) => y.id !== x.id))}, candidateError)},
        tr("admin_remove")) : "")))));
  const addCandidate = editable ? el("form", {class: "row add-candidate", onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    patch({candidates: [...slateBody(c.candidates), {name: data.get("name"), note: data.get("note")}]}, candidateError);
  }}, el("label", {}, tr("admin_name"), el("input", {name: "name", required: true, maxlength: 40})),
     el("label", {}, tr("admin_note"), el("input", {name: "note", maxlength: 100})),
     el("button", {type: "submit"}, tr("admin_add_candidate"))) : null;

  const settingsError = el("p", {class: "error", role: "alert"});
  const settings = el("form", {class: "settings", onsubmit: (event) => {
    event.preventDefault();
    patch({rules: readSettings(event.target)}, settingsError);
  }}, el("fieldset", {disabled: !editable}, el("legend", {}, tr("admin_settings")),
    ADMIN.setting_order.map((name) => el("label", {}, tr(`setting_${name}`), settingInput(name, c.rules[name]))),
    editable ? el("button", {type: "submit"}, tr("admin_save")) : null), settingsError);

  const officialError = el("p", {class: "error official-error", role: "alert"});
  const officials = el("div", {class: "officials"}, el("h3", {}, tr("admin_officials")),
    el("ul", {}, c.officials.map((o) => el("li", {}, `${withColon(tr(`role_${o.role}`))}${o.name}${o.unit ? inParens(o.unit) : ""} `,
      el("button", {type: "button", class: "link", onclick: async () => {
        try { await api("DELETE", `/api/contests/${c.id}/officials/${o.id}`); loadContests(); }
        catch (failure) { officialError.textContent = failure.message; }
      }}, tr("admin_remove"))))),
    el("form", {class: "row add-official", onsubmit: async (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const typed = String(data.get("person") || "").trim();
      const chosen = ROSTER_CHOICES.find((p) => p.label === typed);
      const account = data.get("user_id");
      try {
        await api("POST", `/api/contests/${c.id}/officials`, {
          person_id: chosen ? chosen.id : null, name: chosen ? null : typed, role: data.get("role"),
          user_id: account ? Number(account) : null});
        loadContests();
      } catch (failure) { officialError.textContent = failure.message; }
    }}, el("label", {}, tr("admin_officials_person"),
          el("input", {name: "person", required: true, maxlength: 80, list: "roster-people", autocomplete: "off"})),
       el("label", {}, tr("admin_duty"), el("select", {name: "role"}, ADMIN.official_roles.map((r) =>
          el("option", {value: r, selected: r === "teller"}, tr(`role_${r}`))))),
       el("label", {}, tr("admin_officials_account"), el("select", {name: "user_id"},
          el("option", {value: ""}, tr("admin_no_account")),
          ADMIN.accounts.map((a) => el("option", {value: a.id}, a.display_name + inParens(`${a.username} · ${tr(`role_${a.role}`)}`))))),
       el("button", {type: "submit"}, tr("admin_add_official"))), officialError);

  const first = c.rounds[0];
  const openResult = el("div", {class: "open-result", role: "status"});
  const openButton = editable ? el("button", {type: "button", class: "primary open-round", onclick: async () => {
    openResult.replaceChildren();
    try {
      const opened = await api("POST", `/api/rounds/${first.id}/open`);
      await loadContests();
      const box = document.querySelector(`#contest-${c.id} .open-result`);
      box.append(el("p", {class: "ok"}, tr("admin_opened", {number: 1, entitled: opened.entitled, present: opened.present})));
      if (!opened.quorum_met) box.append(el("p", {class: "error"}, tr("admin_no_quorum_warning")));
      if (opened.size_warning) box.append(el("p", {class: "warn"}, `${tr("admin_size_note")}${opened.size_warning}`));
    } catch (failure) {
      openResult.append(el("p", {class: "error"}, failure.message));
    }
  }}, tr("admin_open_round")) : el("p", {class: "muted"}, tr("admin_not_editable"));

  return el("section", {class: "card contest", id: `contest-${c.id}`, "data-contest": c.id},
    el("h2", {}, c.title, " ", el("span", {class: "badge"}, tr(`office_${c.office}`)), " ",
       el("span", {class: "badge"}, tr(`method_${c.method}`)), " ",
       el("span", {class: "badge seats"}, `${tr("admin_seats")} ${c.seats}`), " ",
       c.rounds.map((r) => el("span", {class: "badge round-state"}, withColon(tr("admin_round", {number: r.number})) + tr(`state_${r.state}`)))),
    status,
    el("div", {class: "grid"},
      el("div", {}, el("h3", {}, tr("admin_candidates") + inParens(c.candidates.length)), candidates, addCandidate, candidateError,
         officials),
      el("div", {}, settings)),
    el("div", {class: "row"}, openButton), openResult);
}

async function loadContests() {
  const {contests} = await api("GET", `/api/congresses/${CID}/contests`);
  const list = document.getElementById("contest-list");
  list.replaceChildren(...(contests.length ? contests.map(contestCard)
    : [el("p", {class: "card muted"}, tr("admin_no_contests"))]));
}

let ROSTER_CHOICES = [];

async function loadRosterChoices() {
  const data = await api("GET", `/api/congresses/${CID}/people?limit=2000`);
  ROSTER_CHOICES = data.people.map((p) => ({id: p.id, label: p.unit ? p.name + inParens(p.unit) : p.name}));
  let list = document.getElementById("roster-people");
  if (!list) { list = el("datalist", {id: "roster-people"}); document.body.append(list); }
  list.replaceChildren(...ROSTER_CHOICES.map((p) => el("option", {value: p.label})));
}

function initContests() {
  loadRosterChoices();
  const form = document.getElementById("new-contest");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const error = document.getElementById("new-contest-error");
    error.textContent = "";
    try {
      await api("POST", `/api/congresses/${CID}/contests`, {
        title: data.get("title"), office: data.get("office"), method: data.get("method"),
        seats: Number(data.get("seats")), candidates: parseCandidates(data.get("candidates") || "")});
      form.reset();
      await loadContests();
    } catch (failure) { error.textContent = failure.message; }
  });
  loadContests();
}

// ---- start ------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  pollQuorum();
  const page = document.querySelector("[data-page]");
  if (!page) return;
  ({overview: initOverview, roster: initRoster, attendance: initAttendance, contests: initContests})[page.dataset.page]();
});
