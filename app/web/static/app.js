// Shared by every page: JSON calls with the CSRF token, errors shown in the user's language.
"use strict";

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error && body.error.code;
    this.body = body;
  }
}

async function api(method, url, body, options = {}) {
  const init = {method, headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"},
                credentials: "same-origin"};
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (options.signal) init.signal = options.signal;
  const response = await fetch(url, init);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) throw new ApiError(response.status, data);
  if (data && data.csrf_token) {
    document.querySelector('meta[name="csrf-token"]').content = data.csrf_token;
  }
  return data;
}

function toast(message, kind = "info") {
  const box = document.getElementById("toast");
  if (!box) return;
  box.textContent = message;
  box.className = `show ${kind}`;
  clearTimeout(box._timer);
  box._timer = setTimeout(() => { box.className = ""; }, 4000);
}

document.addEventListener("DOMContentLoaded", () => {
  const switcher = document.getElementById("body-switcher");
  if (switcher) switcher.addEventListener("change", () => switcher.form.submit());
  const out = document.getElementById("sign-out");
  if (out) out.addEventListener("click", async () => {
    await api("DELETE", "/api/session");
    location.href = "/login";
  });
});

// Punctuation in the page's language: a Chinese page uses full-width brackets, colons and 、,
// an English page the ASCII ones (names and notes inside stay as they are).
const PAGE_IS_CHINESE = (document.documentElement.lang || "zh").startsWith("zh");
const LIST_SEPARATOR = PAGE_IS_CHINESE ? "、" : ", ";

function inParens(text) { return PAGE_IS_CHINESE ? `（${text}）` : ` (${text})`; }

function withColon(label) { return PAGE_IS_CHINESE ? `${label}：` : `${label}: `; }
