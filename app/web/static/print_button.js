// A "print" button without an inline handler (CSP): any button marked data-print.
"use strict";
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
