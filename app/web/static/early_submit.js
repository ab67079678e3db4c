// A form that the page's own script sends (it has no action attribute) would, if
// submitted before that script has run, be sent by the browser itself as a GET of this
// page: the chosen roster file is lost and nothing is said. On a slow hall Wi-Fi the
// button can be pressed first. Loaded in <head>, before any form exists, this holds such
// a submit and replays it once the page's scripts are in place.
(function () {
  "use strict";
  if (document.readyState !== "loading") return;
  const held = new Set();
  function hold(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("action")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    held.add(form);
  }
  document.addEventListener("submit", hold, true);
  document.addEventListener("DOMContentLoaded", () => {
    document.removeEventListener("submit", hold, true);
    // After the page scripts' own start-up (some run on DOMContentLoaded too).
    setTimeout(() => held.forEach((form) => form.requestSubmit()), 0);
  });
})();
