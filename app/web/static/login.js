// The sign-in form (login.html); a static file so the pages need no inline script (CSP).
"use strict";
document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    await api("POST", "/api/session", {username: form.get("username"), password: form.get("password")});
    location.href = "/";
  } catch (error) {
    document.getElementById("login-error").textContent = error.message;
  }
});
