// Builds the stylesheet and copies the scripts Alongside serves, from govuk-frontend on npm.
// The output is committed (crates/web/assets) so that `cargo run` needs no Node; CI runs
// this again and fails if the committed files differ from what the pinned packages make.
import * as sass from "sass";
import { copyFileSync, writeFileSync, mkdirSync } from "node:fs";

const out = "crates/web/assets";
mkdirSync(out, { recursive: true });
const css = sass.compile("crates/web/assets-src/alongside.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div", "if-function"],
});
writeFileSync(`${out}/alongside.css`, css.css + "\n");
copyFileSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
// The network picture's graph drawing (the page works without it: a table shows the same).
copyFileSync("node_modules/cytoscape/dist/cytoscape.min.js", `${out}/cytoscape.min.js`);
console.log(`built ${out}/alongside.css (${css.css.length} bytes) and copied govuk-frontend.min.js and cytoscape.min.js`);
