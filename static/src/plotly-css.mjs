// Writes plotly.js's own stylesheet to a file, so chart pages keep a strict CSP.
//
// plotly.js normally injects its layout rules in an inline <style>, which our
// Content-Security-Policy blocks. It skips that when the page has an element with
// id "plotly.js-style-global" and class "no-inline-styles" (its documented CSP mode): our
// chart pages link this file with that id. The rules are read from the pinned bundle itself
// (the object of selector -> declarations that plotly's build/plotcss.js compiles to), with the
// same placeholder substitution plotly applies at run time, so they always match the bundle.
import { readFileSync, writeFileSync } from "node:fs";

const [bundlePath, outputPath] = process.argv.slice(2);
const source = readFileSync(bundlePath, "utf8");
const start = source.indexOf('{"X,X div":');
if (start < 0) {
  console.error(`plotly-css: the style rules were not found in ${bundlePath}`);
  process.exit(1);
}
let depth = 0;
let quote = null;
let end = start;
for (; end < source.length; end += 1) {
  const char = source[end];
  if (quote) {
    if (char === "\\") end += 1;
    else if (char === quote) quote = null;
  } else if (char === '"' || char === "'") quote = char;
  else if (char === "{") depth += 1;
  else if (char === "}" && (depth -= 1) === 0) break;
}
const rules = new Function(`return ${source.slice(start, end + 1)}`)();
const css = Object.entries(rules)
  .map(([selector, declarations]) => {
    const full = selector
      .replace(/^,/, " ,")
      .replace(/X/g, ".js-plotly-plot .plotly")
      .replace(/Y/g, ".plotly-notifier");
    return `${full}{${declarations}}`;
  })
  .join("\n");
writeFileSync(outputPath, `${css}\n`);
