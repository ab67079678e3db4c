// The hall's results board: a snapshot from /api/results/board, then server-sent events
// (/api/results/board/stream) with a new snapshot whenever a ballot is recorded.
// EventSource reconnects by itself; if it gives up, we open a new one after a second.
"use strict";

const BOARD = document.getElementById("board");
const LOCALE = BOARD.dataset.locale === "en" ? "en" : "zh";
const TEXTS = JSON.parse(document.getElementById("board-texts").textContent);
const L = {
  zh: {round: "第{n}轮", entitled: "应到", present: "实到", quorum: "法定人数", issued: "发出",
       returned: "收回", recorded: "已计", valid: "有效", invalid: "无效", threshold: "当选票数",
       seats: "应选", yes: "赞成", no: "不赞成", abstain: "弃权", draft: "尚未开始",
       open: "计票中", complete: "计票完成", sealed: "已封存", hidden: "计票进行中，结果在封存后公布",
       qualified: "已过半", elected: "当选", tie: "再次投票", not_elected: "未当选", counting: "",
       elected_list: "当选（按姓氏笔画为序）", digest: "选票摘要", conflicts: "待裁定",
       kinds: {first: "", revote: "再次投票", another_election: "另行选举", repeat: "重新选举"},
       outcome: {decided: "选举有效，名额已选足", revote: "票数相等，须再次投票", shortfall: "当选人数少于应选名额",
                 void: "收回选票多于发出选票，本轮选举无效", no_quorum: "未达到法定人数，不能进行选举",
                 incomplete: "计票未完成", counting: "计票中"},
       none: "无", yesno: ["否", "是"], close: "结束计票与封存", reports: "报告与下一轮"},
  en: {round: "Round {n}", entitled: "Entitled", present: "Present", quorum: "Quorum", issued: "Issued",
       returned: "Returned", recorded: "Counted", valid: "Valid", invalid: "Invalid", threshold: "Threshold",
       seats: "Seats", yes: "Yes", no: "No", abstain: "Abstain", draft: "Not started",
       open: "Counting", complete: "Counting complete", sealed: "Sealed",
       hidden: "Counting in progress; results after sealing",
       qualified: "Above half", elected: "Elected", tie: "Re-vote", not_elected: "Not elected", counting: "",
       elected_list: "Elected (stroke order)", digest: "Ballot digest", conflicts: "Conflicts",
       kinds: {first: "", revote: "re-vote", another_election: "another election", repeat: "repeat"},
       outcome: {decided: "Valid; every seat filled", revote: "Tie: a re-vote is needed",
                 shortfall: "Fewer elected than seats", void: "More ballots returned than issued: void",
                 no_quorum: "No quorum: no vote", incomplete: "Counting incomplete", counting: "Counting"},
       none: "none", yesno: ["no", "yes"], close: "Close and seal", reports: "Reports, next round"},
}[LOCALE];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function figure(field, label, value, bad = false) {
  return el("span", {"data-field": field}, label, el("b", bad ? {class: "bad"} : {}, value ?? "—"));
}

function personRow(person, round) {
  const scale = Math.max(round.entitled || 0, round.valid || 0, round.threshold || 0, 1);
  const pct = (n) => `${(100 * n / scale).toFixed(2)}%`;
  const status = round.complete ? L[person.status] || "" : (person.qualified ? L.qualified : "");
  const bar = el("div", {class: "bar"},
    el("span", {class: "yes", style: `width:${pct(person.yes)}`}),
    el("span", {class: "no", style: `width:${pct(person.no)}`}),
    el("span", {class: "abstain", style: `width:${pct(person.abstain)}`}),
    el("i", {class: "line", style: `left:${pct(round.threshold)}`, title: `${L.threshold} ${round.threshold}`}));
  return el("div", {class: "person", "data-ref": person.ref || "", "data-name": person.name,
                    "data-yes": person.yes, "data-status": person.status,
                    "data-qualified": String(person.qualified)},
    el("span", {class: "name"}, person.name),
    bar,
    el("span", {class: "nums"}, `${L.yes} ${person.yes} · ${L.no} ${person.no} · ${L.abstain} ${person.abstain}`),
    el("span", {class: "status"}, status));
}

function roundBlock(contest, round) {
  const kind = L.kinds[round.kind] ? ` · ${L.kinds[round.kind]}` : "";
  const stateText = round.state === "sealed" ? L.sealed : round.state === "draft" ? L.draft
    : round.complete ? L.complete : L.open;
  const block = el("section", {class: "contest", "data-contest": contest.contest_id,
                               "data-round": round.round_id, "data-state": round.state,
                               "data-complete": String(round.complete)},
    el("h2", {}, contest.title, el("small", {}, ` ${L.round.replace("{n}", round.number)}${kind}`),
       el("span", {class: "round-state", "data-state": round.state,
                   "data-complete": String(round.complete)}, stateText)));
  if (round.state === "draft") return block;
  if (OFFICIAL) {  // scrutineers and the secretariat: on to the closing page
    block.querySelector("h2").append(" ", el("a", {class: "close-link", href: `/board/rounds/${round.round_id}/close`},
                                            round.state === "sealed" ? L.reports : L.close));
  }
  const quorumText = round.quorum_needed === null ? "—"
    : `${round.quorum_needed}（${L.yesno[round.quorum_met ? 1 : 0]}）`;
  const figures = el("div", {class: "figures"},
    figure("seats", L.seats, round.seats),
    figure("entitled", L.entitled, round.entitled),
    figure("present", L.present, round.present),
    figure("quorum", L.quorum, quorumText, round.quorum_met === false),
    figure("issued", L.issued, round.issued),
    figure("returned", L.returned, round.returned,
           round.returned !== null && round.issued !== null && round.returned > round.issued),
    figure("recorded", L.recorded, round.returned === null ? round.recorded
           : `${round.recorded} / ${round.returned}`));
  if (round.counts_visible) {
    figures.append(figure("valid", L.valid, round.valid), figure("invalid", L.invalid, round.invalid),
                   figure("threshold", L.threshold, round.threshold));
  }
  if (round.conflicts) figures.append(figure("conflicts", L.conflicts, round.conflicts, true));
  block.append(figures);
  if (!round.counts_visible) {
    block.append(el("p", {class: "hidden-counts"}, L.hidden));
    return block;
  }
  for (const person of round.tally) block.append(personRow(person, round));
  if (round.complete || round.state === "sealed" || ["no_quorum", "void"].includes(round.outcome)) {
    const elected = round.elected.map((p) => p.name).join("、") || L.none;
    const banner = el("div", {class: `banner${round.state === "sealed" ? " sealed" : ""}`, "data-outcome": round.outcome},
      `${round.state === "sealed" ? L.sealed : L.complete}：${L.outcome[round.outcome] || round.outcome}`,
      el("br"), `${L.elected_list}：${elected}`);
    if (round.digest_short) banner.append(el("br"), `${L.digest} `, el("span", {class: "digest"}, round.digest_short));
    block.append(banner);
  }
  return block;
}

let OFFICIAL = false;

function render(snapshot) {
  OFFICIAL = snapshot.official;
  document.getElementById("board-congress").textContent = snapshot.congress.name;
  const box = document.getElementById("board-contests");
  const blocks = [];
  for (const contest of snapshot.contests) {
    const rounds = contest.rounds;
    const current = rounds[rounds.length - 1];
    const block = roundBlock(contest, current);
    const earlier = rounds.slice(0, -1).filter((r) => r.state === "sealed");
    if (earlier.length) {
      block.append(el("div", {class: "earlier"}, earlier.map((r) =>
        `${L.round.replace("{n}", r.number)}：${L.outcome[r.outcome] || r.outcome}` +
        (r.elected && r.elected.length ? `（${r.elected.map((p) => p.name).join("、")}）` : "")).join("；")));
    }
    blocks.push(block);
  }
  box.replaceChildren(...blocks);
  BOARD.dataset.version = snapshot.version;
}

function setLink(state, text) {
  const link = document.getElementById("board-link");
  link.dataset.state = state;
  link.textContent = text;
}

let lastEvent = 0;

function connect() {
  const congress = BOARD.dataset.congress;
  if (!congress) return;
  const source = new EventSource(`/api/results/board/stream?congress_id=${congress}`);
  source.addEventListener("board", (event) => {
    lastEvent = Date.now();
    render(JSON.parse(event.data));
    setLink("live", TEXTS.live);
  });
  source.addEventListener("open", () => setLink("live", TEXTS.live));
  source.addEventListener("error", () => {
    // A stream the server ended on purpose (its lifetime, or a busy server that asks us
    // to poll) reconnects by itself at once: only say "lost" when nothing came lately.
    if (source.readyState === EventSource.CLOSED || Date.now() - lastEvent > 5000) {
      setLink("lost", TEXTS.reconnecting);
    }
    if (source.readyState === EventSource.CLOSED) {
      source.close();
      setTimeout(connect, 1000);
    }
  });
}

document.addEventListener("DOMContentLoaded", async () => {
  const congress = BOARD.dataset.congress;
  if (!congress) return;
  try {
    render(await api("GET", `/api/results/board?congress_id=${congress}`));
  } catch (error) {
    setLink("lost", error.message);
  }
  connect();
});
