// Enhances govuk-frontend components (character count, service navigation toggle,
// exit this page). Every page works without this script.
import { initAll } from "/assets/govuk-frontend.min.js";
initAll();
