// Progressive enhancement: pages work without this file. When JavaScript runs, mark the
// body so GOV.UK Frontend's enhanced styles apply, then start its components.
import { initAll } from "../../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
