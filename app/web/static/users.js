// The accounts page (users.html): its words and role names come from the page
// (#users-data), so the page needs no inline script (CSP).
"use strict";
const USERS_PAGE = JSON.parse(document.getElementById("users-data").textContent);
const ROLES = USERS_PAGE.roles;
const TEXT = USERS_PAGE.text;

function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (_, key) => params[key] ?? "");
}

function button(label, handler) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.addEventListener("click", () => handler().catch((error) => toast(error.message, "error")));
  return element;
}

async function load() {
  const data = await api("GET", "/api/users");
  const body = document.querySelector("#users-table tbody");
  body.replaceChildren();
  for (const account of data.users) {
    const row = body.insertRow();
    row.dataset.username = account.username;
    for (const text of [account.username, account.display_name, ROLES[account.role],
                        account.active ? TEXT.active : TEXT.inactive]) {
      row.insertCell().textContent = text;
    }
    const actions = row.insertCell();
    actions.append(button(TEXT.reset, async () => {
      const password = prompt(fill(TEXT.reset_prompt, {username: account.username}));
      if (!password) return;
      await api("POST", `/api/users/${account.id}/password`, {password});
      toast(TEXT.reset_done);
    }));
    if (account.active) {
      actions.append(button(TEXT.deactivate, async () => {
        if (!confirm(fill(TEXT.deactivate_confirm, {username: account.username}))) return;
        await api("POST", `/api/users/${account.id}/deactivate`);
        await load();
      }));
      if (account.role === "teller") actions.append(button(TEXT.enroll, () => enroll(account)));
    } else {
      actions.append(button(TEXT.activate, async () => {
        await api("POST", `/api/users/${account.id}/activate`);
        await load();
      }));
    }
  }
}

async function enroll(account) {
  const base = document.getElementById("enroll-base").value;
  const data = await api("POST", `/api/users/${account.id}/enrollment?base=${encodeURIComponent(base)}`);
  document.getElementById("enroll-heading").textContent =
    fill(TEXT.enroll_title, {name: account.display_name});
  document.getElementById("enroll-qr").src = data.qr_png;
  document.getElementById("enroll-url").textContent = data.url;
  document.getElementById("enroll-note").textContent = fill(TEXT.enroll_note, {
    minutes: Math.round(data.lifetime_seconds / 60),
    until: new Date(data.expires_at).toLocaleTimeString(document.documentElement.lang),
  });
  document.getElementById("enroll-dialog").showModal();
}

document.getElementById("enroll-close").addEventListener("click", () => {
  document.getElementById("enroll-dialog").close();
});

document.getElementById("new-user").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const fields = Object.fromEntries(new FormData(form));
  try {
    await api("POST", "/api/users", fields);
    form.reset();
    document.getElementById("new-user-error").textContent = "";
    toast(TEXT.created);
    await load();
  } catch (error) {
    document.getElementById("new-user-error").textContent = error.message;
  }
});

load().catch((error) => toast(error.message, "error"));
