// Closing a round: show the outcome the rules computed, collect the signatures, seal;
// then the sealed result, who signed, the reports and — when the rules call for one —
// the next round. Works the same before and after sealing.
"use strict";

const BOX = document.getElementById("closing");
const T = BOX ? JSON.parse(document.getElementById("close-texts").textContent) : {};
const say = (key, values = {}) => (T[key] || key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");

function cell(text, className = "") {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function beijing(iso) {
  if (!iso) return "";
  const locale = document.documentElement.lang === "en" ? "en-GB" : "zh-CN";
  return new Intl.DateTimeFormat(locale, {timeZone: "Asia/Shanghai", dateStyle: "long", timeStyle: "short"})
    .format(new Date(iso));
}

function fill(data) {
  const result = data.result;
  const body = document.querySelector("#closing-tally tbody");
  body.replaceChildren(...result.tally.map((row) => {
    const tr = document.createElement("tr");
    // For a write-in, "against" and "abstain" do not apply.
    tr.append(cell(row.write_in ? `${row.name}${say("write_in_tag")}` : row.name),
              cell(row.yes, "num"),
              row.write_in ? cell(say("not_applicable"), "num na") : cell(row.no, "num"),
              row.write_in ? cell(say("not_applicable"), "num na") : cell(row.abstain, "num"),
              cell(row.qualified ? say("yes") : say("no")),
              cell(say(`status_${row.status}`)));
    return tr;
  }));
  const b = result.ballots;
  const f = data.figures || {};
  const figures = [["seats", f.seats], ["entitled", f.entitled], ["present", f.present],
                   ["issued", f.issued], ["returned", f.returned], ["recorded", b.recorded],
                   ["valid", b.valid], ["invalid", b.invalid], ["threshold", result.threshold]];
  document.getElementById("closing-figures").replaceChildren(...figures.map(([key, value]) => {
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = say(`fig_${key}`);
    dd.textContent = value ?? "—";
    dd.dataset.field = key;
    div.append(dt, dd);
    return div;
  }));
  document.getElementById("closing-outcome").textContent =
    `${say("outcome")}${say(`outcome_${result.outcome}`)}`;
  document.getElementById("closing-elected").textContent =
    say("elected_list") + (result.elected.map((p) => p.name).join(LIST_SEPARATOR) || say("none"));
  document.getElementById("closing-digest").textContent = data.digest_short || "";
  // I > P (issue 16): the reason it was acknowledged with, or a form to give one.
  const ack = f.issued_over_present;
  const line = document.getElementById("closing-over-present");
  line.hidden = !ack;
  line.textContent = ack ? say("over_present_ack", {issued: f.issued, present: f.present, reason: ack.reason}) : "";
  const form = document.getElementById("over-present");
  if (form) form.hidden = !(data.state !== "sealed" && f.issued_over_present_open);
}

function showSealed(data) {
  document.getElementById("closing-status").textContent = "";
  document.getElementById("closing-problems").replaceChildren();
  document.getElementById("signing").hidden = true;
  document.getElementById("after-seal").hidden = false;
  BOX.dataset.state = "sealed";
  if (data.sealed_at) {
    document.getElementById("sealed-line").textContent = say("sealed_at", {at: beijing(data.sealed_at)});
  }
  document.getElementById("signed-by").replaceChildren(...(data.signatures || []).map((s) => {
    const li = document.createElement("li");
    li.textContent = `${say(`role_${s.role}`)}${say("colon")}${s.name}`;
    return li;
  }));
  const none = document.getElementById("next-none");
  const step = document.getElementById("next-step");
  const next = data.next_step;
  const offer = next && next !== "taken";
  none.hidden = Boolean(offer);
  none.textContent = next === "taken" ? say("next_taken") : say("next_none");
  if (step) {
    step.hidden = !offer;
    if (offer) document.getElementById("next-why").textContent = say(`next_${next}`);
  }
}

function signerLine(official, index) {
  const label = document.createElement("label");
  label.className = "signer";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.id = `signer-${index}`;
  box.dataset.name = official.name;
  box.dataset.role = official.role;
  const name = document.createElement("span");
  name.className = "signer-name";
  name.textContent = official.name;
  const role = document.createElement("span");
  role.className = "signer-role";
  role.textContent = say(`role_${official.role}`);
  label.append(box, name, role);
  return label;
}

async function load() {
  const round = BOX.dataset.round;
  let data;
  try {
    data = await api("GET", `/api/results/rounds/${round}/closing`);
  } catch (error) {
    document.getElementById("closing-status").textContent = error.message;
    return;
  }
  fill(data);
  if (data.state === "sealed") {
    showSealed(data);
    return;
  }
  document.getElementById("closing-problems").replaceChildren(...data.problems.map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
  document.getElementById("closing-status").textContent = data.ready ? say("ready") : say("not_ready");
  document.getElementById("signers").replaceChildren(...data.officials.map(signerLine));
  document.getElementById("signing").hidden = !data.ready;
}

document.addEventListener("DOMContentLoaded", () => {
  if (!BOX) return;
  load();
  const seal = document.getElementById("seal");
  if (seal) seal.addEventListener("click", async () => {
    const error = document.getElementById("seal-error");
    const ticked = [...document.querySelectorAll("#signers input:checked")];
    if (!ticked.length) {
      error.textContent = say("nobody_ticked");
      return;
    }
    if (!ticked.some((box) => box.dataset.role === "chief_scrutineer")) {
      error.textContent = say("chief_not_ticked");
      return;
    }
    const signatures = ticked.map((box) => ({name: box.dataset.name, role: box.dataset.role}));
    try {
      await api("POST", `/api/results/rounds/${BOX.dataset.round}/seal`, {signatures});
      error.textContent = "";
      toast(say("sealed_toast"));
      await load();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  const overSave = document.getElementById("over-present-save");
  if (overSave) overSave.addEventListener("click", async () => {
    const error = document.getElementById("over-present-error");
    const reason = document.getElementById("over-present-reason").value.trim();
    try {
      await api("PUT", `/api/rounds/${BOX.dataset.round}/issued-over-present`, {reason});
      error.textContent = "";
      toast(say("over_present_saved"));
      await load();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  const next = document.getElementById("next-round");
  if (next) next.addEventListener("click", async () => {
    const motion = document.getElementById("motion").value.trim();
    const out = document.getElementById("next-result");
    try {
      const data = await api("POST", `/api/results/rounds/${BOX.dataset.round}/next`,
                             motion ? {motion} : {});
      out.textContent = data.round_id
        ? say("next_made", {number: data.number, kind: say(`kind_${data.kind}`), seats: data.seats,
                            names: data.candidates.join(LIST_SEPARATOR)})
        : say("next_recorded", {kind: say(`kind_${data.kind}`)});
      next.disabled = true;
    } catch (failure) {
      out.textContent = failure.message;
    }
  });
});
