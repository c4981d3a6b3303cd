// sitegen/site/static/search-index.js as the search page runs it, without a browser: after
// lunr.js, with `window` to define PaperIndex on, and shards fetched from files.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const lunr = createRequire(import.meta.url)("lunr");
const SCRIPT = new URL("../../sitegen/site/static/search-index.js", import.meta.url);
export const GOLDEN_INDEX = new URL("../golden/site/search/index.json", import.meta.url);

// Reads a file: URL as the page's fetch reads the site's files.
async function fetchFile(url) {
  return { ok: true, status: 200, json: async () => JSON.parse(await readFile(url, "utf8")) };
}

// The PaperIndex class of search-index.js, run as the page runs the script.
export function paperIndexClass() {
  const window = {};
  const run = new Function("window", "lunr", "location", "fetch", readFileSync(SCRIPT, "utf8"));
  run(window, lunr, { href: GOLDEN_INDEX.href }, fetchFile);
  return window.PaperIndex;
}

// search/index.json of the golden site, which the Python tests keep equal to a fresh build.
export function goldenHead() {
  return JSON.parse(readFileSync(GOLDEN_INDEX, "utf8"));
}
