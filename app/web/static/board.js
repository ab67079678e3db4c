// The hall's results board: a snapshot from /api/results/board, then server-sent events
// (/api/results/board/stream) with a new snapshot whenever a ballot is recorded.
// EventSource reconnects by itself; if it gives up, we open a new one after a second.
//
// Readable from the back of a hall: every figure is its own element in a column sized to
// its content (a grid), so no number can sit under another label or be cut off.
"use strict";

const BOARD = document.getElementById("board");
const LOCALE = BOARD.dataset.locale === "en" ? "en" : "zh";
const TEXTS = JSON.parse(document.getElementById("board-texts").textContent);
const L = {
  zh: {round: "第{n}轮", entitled: "应到", present: "实到", quorum: "法定人数", issued: "发出",
       returned: "收回", recorded: "已计", valid: "有效票", invalid: "无效票", threshold: "当选票数",
       seats: "应选", candidates: "候选人", yes: "赞成", no: "不赞成", abstain: "弃权", result: "结果",
       people: "{n} 人", ballots: "{n} 张", line: "当选线 {n} 票", returned_pending: "收回数待录入",
       quorum_met: "已达到法定人数", quorum_missed: "未达到法定人数",
       draft: "尚未开始", open: "投票·计票中", complete: "计票完成，待封存", sealed: "已封存",
       hidden: "计票进行中，结果在封存后公布", write_in: "另选",
       qualified: "已过半数", elected: "当选", tie: "票数相等", not_elected: "未当选",
       elected_list: "当选人（按姓氏笔画为序）", digest: "选票摘要", conflicts: "待裁定争议票",
       audit_head: "审计链头", anchor_alt: "审计链头与选票摘要的二维码（与签字报告单核对）",
       kinds: {first: "", revote: "再次投票", another_election: "另行选举", repeat: "重新选举"},
       outcome: {decided: "选举有效，应选名额已选足", revote: "票数相等，须再次投票",
                 shortfall: "当选人数少于应选名额", void: "收回选票多于发出选票，本轮选举无效",
                 no_quorum: "未达到法定人数，不能进行选举", incomplete: "计票未完成", counting: "计票中"},
       none: "无", close: "结束计票与封存", reports: "报告与下一轮", colon: "：", open_paren: "（", close_paren: "）"},
  en: {round: "Round {n}", entitled: "Entitled", present: "Present", quorum: "Quorum", issued: "Issued",
       returned: "Returned", recorded: "Counted", valid: "Valid", invalid: "Invalid",
       threshold: "Votes to be elected", seats: "Seats", candidates: "Candidate", yes: "Yes", no: "No",
       abstain: "Abstain", result: "Result", people: "{n}", ballots: "{n}", line: "Elected at {n}",
       returned_pending: "returned not yet entered",
       quorum_met: "Quorum reached", quorum_missed: "No quorum",
       draft: "Not started", open: "Voting and counting", complete: "Count complete, to be sealed",
       sealed: "Sealed", hidden: "Counting in progress; results after sealing", write_in: "write-in",
       qualified: "Above half", elected: "Elected", tie: "Tie", not_elected: "Not elected",
       elected_list: "Elected (in order of surname strokes)", digest: "Ballot digest",
       conflicts: "Conflicts to decide", audit_head: "Audit head",
       anchor_alt: "QR code of the audit head and ballot digest (check against the signed report)",
       kinds: {first: "", revote: "re-vote", another_election: "another election", repeat: "repeat election"},
       outcome: {decided: "Valid; every seat filled", revote: "Tie: a re-vote is needed",
                 shortfall: "Fewer elected than seats", void: "More ballots returned than issued: void",
                 no_quorum: "No quorum: no vote", incomplete: "Counting incomplete", counting: "Counting"},
       none: "none", close: "Close and seal", reports: "Reports, next round", colon: ": ", open_paren: " (",
       close_paren: ")"},
}[LOCALE];

const fill = (text, n) => text.replace("{n}", n);

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
  return el("span", {class: "figure", "data-field": field},
    el("span", {class: "label"}, label),
    el("b", {class: bad ? "value bad" : "value"}, value ?? "—"));
}

function stateOf(round) {
  if (round.state === "sealed") return ["sealed", L.sealed];
  if (round.state === "draft") return ["draft", L.draft];
  return round.complete ? ["complete", L.complete] : ["open", L.open];
}

function scale(round) {
  return Math.max(round.entitled || 0, round.valid || 0, round.threshold || 0, 1);
}

function pct(n, round) {
  return Math.min(100, 100 * n / scale(round));
}

function headRow(round) {
  // The threshold line is labelled once, above the bars, where the line is.
  const at = pct(round.threshold || 0, round);
  const shift = at > 70 ? "translateX(-100%)" : at < 30 ? "none" : "translateX(-50%)";
  return el("div", {class: "tally-head"},
    el("span", {class: "col-name"}, L.candidates),
    el("span", {class: "col-bar"},
       el("span", {class: "line-label", "data-field": "line",
                   style: `left:${at.toFixed(2)}%;transform:${shift}`}, fill(L.line, round.threshold))),
    el("span", {class: "col-num"}, L.yes),
    el("span", {class: "col-num"}, L.no),
    el("span", {class: "col-num"}, L.abstain),
    el("span", {class: "col-status"}, L.result));
}

function personRow(person, round) {
  const status = round.complete || round.state === "sealed" ? L[person.status] || ""
    : (person.qualified ? L.qualified : "");
  const writeIn = Boolean(person.write_in);
  const bar = el("div", {class: "bar"},
    el("span", {class: "yes", style: `width:${pct(person.yes, round).toFixed(2)}%`}),
    writeIn ? null : el("span", {class: "no", style: `width:${pct(person.no, round).toFixed(2)}%`}),
    writeIn ? null : el("span", {class: "abstain", style: `width:${pct(person.abstain, round).toFixed(2)}%`}),
    el("i", {class: "line", style: `left:${pct(round.threshold || 0, round).toFixed(2)}%`}));
  // A write-in has only votes for: "against" and "abstain" do not apply to it.
  const blank = () => el("span", {class: "num na"}, "");
  return el("div", {class: "person", "data-ref": person.ref || "", "data-name": person.name,
                    "data-yes": person.yes, "data-status": person.status,
                    "data-write-in": String(writeIn), "data-qualified": String(person.qualified)},
    el("span", {class: "name"}, person.name, writeIn ? el("small", {class: "tag"}, L.write_in) : null),
    bar,
    el("span", {class: "num", "data-field": "yes"}, person.yes),
    writeIn ? blank() : el("span", {class: "num", "data-field": "no"}, person.no),
    writeIn ? blank() : el("span", {class: "num", "data-field": "abstain"}, person.abstain),
    el("span", {class: "status"}, status));
}

function quorumFigures(round) {
  if (round.quorum_needed === null || !round.entitled) return [figure("quorum", L.quorum, "—")];
  return [figure("quorum", L.quorum, fill(L.people, round.quorum_needed)),
          el("span", {class: `chip ${round.quorum_met ? "chip-ok" : "chip-bad"}`, "data-field": "quorum_met",
                      "data-met": String(round.quorum_met)},
             round.quorum_met ? L.quorum_met : L.quorum_missed)];
}

function roundBlock(contest, round) {
  const kind = L.kinds[round.kind] ? ` · ${L.kinds[round.kind]}` : "";
  const [state, stateText] = stateOf(round);
  const block = el("section", {class: "contest", "data-contest": contest.contest_id,
                               "data-round": round.round_id, "data-state": round.state,
                               "data-complete": String(round.complete)});
  const title = el("h2", {},
    el("span", {class: "title"}, contest.title),
    el("span", {class: "round-no"}, `${fill(L.round, round.number)}${kind}`),
    el("span", {class: "round-state", "data-state": state, "data-complete": String(round.complete)},
       stateText));
  if (OFFICIAL && round.state !== "draft") {  // scrutineers and the secretariat: on to the closing page
    title.append(el("a", {class: "close-link", href: `/board/rounds/${round.round_id}/close`},
                    round.state === "sealed" ? L.reports : L.close));
  }
  block.append(title);
  if (round.state === "draft") return block;
  const returned = round.returned === null ? null : round.returned;
  const progress = returned === null
    ? `${round.recorded ?? 0}${L.open_paren}${L.returned_pending}${L.close_paren}` : `${round.recorded ?? 0} / ${returned}`;
  const figures = el("div", {class: "figures"},
    figure("seats", L.seats, round.seats),
    figure("entitled", L.entitled, round.entitled),
    figure("present", L.present, round.present),
    ...quorumFigures(round),
    figure("issued", L.issued, round.issued),
    figure("returned", L.returned, returned,
           returned !== null && round.issued !== null && returned > round.issued),
    figure("recorded", L.recorded, progress));
  if (round.counts_visible) {
    figures.append(figure("valid", L.valid, round.valid), figure("invalid", L.invalid, round.invalid),
                   figure("threshold", L.threshold, round.threshold));
  }
  if (round.conflicts) figures.append(figure("conflicts", L.conflicts, round.conflicts, true));
  block.append(figures);
  if (returned && round.state !== "sealed") {
    const done = Math.min(100, 100 * (round.recorded || 0) / returned);
    block.append(el("div", {class: "progress", "data-field": "progress"},
                    el("span", {style: `width:${done.toFixed(1)}%`})));
  }
  if (!round.counts_visible) {
    block.append(el("p", {class: "hidden-counts"}, L.hidden));
    return block;
  }
  const tally = el("div", {class: `tally${round.tally.length > 16 ? " many" : ""}`}, headRow(round));
  for (const person of round.tally) tally.append(personRow(person, round));
  block.append(tally);
  if (round.complete || round.state === "sealed" || ["no_quorum", "void"].includes(round.outcome)) {
    const sealed = round.state === "sealed";
    const banner = el("div", {class: `banner${sealed ? " sealed" : ""}`, "data-outcome": round.outcome || ""},
      el("p", {class: "outcome"}, `${sealed ? L.sealed : L.complete}${L.colon}${L.outcome[round.outcome] || ""}`));
    if (sealed) {  // the elected are announced only once the round is signed and sealed
      const names = round.elected.map((p) => el("span", {class: "elected-name"}, p.name));
      banner.append(el("p", {class: "elected-label"}, `${L.elected_list}${L.colon}`),
                    el("p", {class: "elected"}, ...(names.length ? names : [L.none])));
    }
    if (sealed && round.audit_head_short) {
      // The paper anchor (issue 16), as the signed report prints it: the audit head and the
      // ballot digest in words, and both in a QR code (served as an image, no inline code).
      const main = el("div", {class: "banner-main"}, ...banner.childNodes);
      const anchor = el("div", {class: "anchor"},
        el("img", {class: "anchor-qr", src: `/board/rounds/${round.round_id}/anchor.svg`, alt: L.anchor_alt}),
        el("div", {class: "anchor-text"},
          el("p", {}, `${L.audit_head} `, el("span", {class: "hash", "data-field": "audit_head"}, round.audit_head_short)),
          el("p", {}, `${L.digest} `, el("span", {class: "digest", "data-field": "digest"}, round.digest_short))));
      banner.replaceChildren(main, anchor);
    } else if (round.digest_short) {
      banner.append(el("p", {class: "digest-line"}, `${L.digest} `, el("span", {class: "digest"}, round.digest_short)));
    }
    block.append(banner);
  }
  return block;
}

let OFFICIAL = false;
let ALL_SEALED = false;

function render(snapshot) {
  OFFICIAL = snapshot.official;
  document.getElementById("board-congress").textContent = snapshot.congress.name;
  const box = document.getElementById("board-contests");
  const blocks = [];
  const current = [];
  for (const contest of snapshot.contests) {
    const rounds = contest.rounds;
    const last = rounds[rounds.length - 1];
    current.push(last);
    const block = roundBlock(contest, last);
    const earlier = rounds.slice(0, -1).filter((r) => r.state === "sealed");
    if (earlier.length) {
      block.append(el("div", {class: "earlier"}, ...earlier.map((r) => el("p", {},
        `${fill(L.round, r.number)}${L.colon}${L.outcome[r.outcome] || ""}` +
        (r.elected && r.elected.length ? `${L.open_paren}${L.elected}${L.colon}${r.elected.map((p) => p.name).join(LIST_SEPARATOR)}${L.close_paren}` : "")))));
    }
    blocks.push(block);
  }
  box.replaceChildren(...blocks);
  BOARD.dataset.version = snapshot.version;
  ALL_SEALED = current.length > 0 && current.every((r) => r.state === "sealed");
  if (ALL_SEALED) setLink("sealed", TEXTS.all_sealed);
}

function setLink(state, text) {
  const link = document.getElementById("board-link");
  // "Live" only while something can still change; once every round is sealed, say so.
  if (ALL_SEALED && state === "live") [state, text] = ["sealed", TEXTS.all_sealed];
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
