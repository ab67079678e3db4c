"use strict";
// Scanning the QR is the teller's intent: go on without a second tap. The button stays
// for a browser without scripts.
document.getElementById("enroll-form").submit();
