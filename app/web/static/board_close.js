// Closing a round: show the outcome the rules computed, collect the signatures, seal;
// then the reports and the next round.
"use strict";

const BOX = document.getElementById("closing");
const STATUS = {elected: "当选", tie: "再次投票", not_elected: "未当选"};
const OUTCOME = {decided: "选举有效，名额已选足", revote: "票数相等，须再次投票（R5）",
                 shortfall: "当选人数少于应选名额（R6）", void: "收回选票多于发出选票，本轮无效（R2）",
                 no_quorum: "未达到法定人数（R1）", incomplete: "计票未完成"};

function fill(result, digestShort) {
  const body = document.querySelector("#closing-tally tbody");
  body.replaceChildren(...result.tally.map((row) => {
    const tr = document.createElement("tr");
    for (const value of [row.name, row.yes, row.write_in ? "—" : row.no, row.write_in ? "—" : row.abstain,
                         row.qualified ? "是" : "否", STATUS[row.status] || row.status]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    return tr;
  }));
  const b = result.ballots;
  document.getElementById("closing-figures").textContent =
    `结果：${OUTCOME[result.outcome] || result.outcome} · 已计 ${b.recorded} · 有效 ${b.valid} · 无效 ${b.invalid} · 当选票数 ${result.threshold}`;
  document.getElementById("closing-elected").textContent =
    "当选（按姓氏笔画为序）：" + (result.elected.map((p) => p.name).join("、") || "无");
  document.getElementById("closing-digest").textContent = digestShort || "";
}

function showSealed() {
  document.getElementById("closing-status").textContent = "";
  document.getElementById("signing").hidden = true;
  document.getElementById("after-seal").hidden = false;
}

async function load() {
  const round = BOX.dataset.round;
  let data;
  try {
    data = await api("GET", `/api/results/rounds/${round}/closing`);
  } catch (error) {
    document.getElementById("closing-status").textContent = error.message;
    if (error.code === "round_sealed") showSealed();
    return;
  }
  fill(data.result, data.digest_short);
  const problems = document.getElementById("closing-problems");
  problems.replaceChildren(...data.problems.map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
  document.getElementById("closing-status").textContent = data.ready ? "计票已完成，核对无误后请签名并封存。" : "";
  const signers = document.getElementById("signers");
  signers.replaceChildren(...data.officials.map((official, index) => {
    const label = document.createElement("label");
    label.className = "signer";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `signer-${index}`;
    box.dataset.name = official.name;
    box.dataset.role = official.role;
    label.append(box, ` ${official.name}（${{chief_scrutineer: "总监票人", scrutineer: "监票人", teller: "计票人"}[official.role]}）`);
    return label;
  }));
  document.getElementById("signing").hidden = !data.ready;
}

document.addEventListener("DOMContentLoaded", () => {
  if (!BOX) return;
  if (BOX.dataset.state === "sealed") showSealed();
  load();
  const seal = document.getElementById("seal");
  if (seal) seal.addEventListener("click", async () => {
    const signatures = [...document.querySelectorAll("#signers input:checked")]
      .map((box) => ({name: box.dataset.name, role: box.dataset.role}));
    try {
      const data = await api("POST", `/api/results/rounds/${BOX.dataset.round}/seal`, {signatures});
      fill(data.result, data.digest_short);
      showSealed();
      toast("已封存");
    } catch (error) {
      document.getElementById("seal-error").textContent = error.message;
    }
  });
  const next = document.getElementById("next-round");
  if (next) next.addEventListener("click", async () => {
    const motion = document.getElementById("motion").value.trim();
    try {
      const data = await api("POST", `/api/results/rounds/${BOX.dataset.round}/next`,
                             motion ? {motion} : {});
      document.getElementById("next-result").textContent = data.round_id
        ? `已建立第 ${data.number} 轮（${data.kind}），应选 ${data.seats} 名：${data.candidates.join("、")}`
        : `已记录：${data.kind}`;
    } catch (error) {
      document.getElementById("next-result").textContent = error.message;
    }
  });
});
