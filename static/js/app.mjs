// Progressive enhancement only: every page works without this file.
// The classes are what GOV.UK Frontend's components look for before they initialise. A browser that runs this
// module supports ES modules, which is the test GOV.UK Frontend's own template makes for
// `govuk-frontend-supported`; keeping it in a file (not an inline script) lets the Content Security Policy
// forbid inline scripts altogether.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
