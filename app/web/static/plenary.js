// R13 on the contests page: start a committee's first plenary, and the congress's setting
// for who elects the chair and vice-chairs. Texts come from admin-data (no words here).
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("admin-data").textContent);
  const congress = data.congress_id;
  const error = document.getElementById("plenary-error");

  for (const button of document.querySelectorAll(".plenary-start")) {
    button.addEventListener("click", async () => {
      error.textContent = "";
      button.disabled = true;
      try {
        const started = await api("POST", `/api/contests/${button.dataset.contest}/plenary`);
        window.location.assign(`/admin/contests?congress=${started.id}`);
      } catch (failure) {
        error.textContent = failure.message;
        button.disabled = false;
      }
    });
  }

  const form = document.getElementById("leaders-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const result = document.getElementById("leaders-result");
      result.textContent = "";
      try {
        await api("PATCH", `/api/congresses/${congress}`,
                  {leaders_elected_by: new FormData(form).get("leaders_elected_by")});
        result.textContent = data.texts.plenary_saved;
      } catch (failure) { error.textContent = failure.message; }
    });
  }
})();
