// The search scripts of sitegen/site/static as the search page runs them, without a browser:
// after lunr.js, in the order of the bundle (search-index.js, search-words.js,
// search-sequence.js, search-rank.js), with `window` to define them on, and shards fetched
// from files.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const lunr = createRequire(import.meta.url)("lunr");
const SCRIPTS = ["search-index.js", "search-words.js", "search-sequence.js", "search-rank.js"].map(
  (name) => new URL(`../../sitegen/site/static/${name}`, import.meta.url));
export const GOLDEN_INDEX = new URL("../golden/site/search/index.json", import.meta.url);

// Reads a file: URL as the page's fetch reads the site's files.
async function fetchFile(url) {
  return { ok: true, status: 200, json: async () => JSON.parse(await readFile(url, "utf8")) };
}

// What the scripts define, run as the page runs them: PaperIndex, PaperWords, PaperSequence,
// PaperSearch.
export function searchScripts() {
  const window = {};
  for (const script of SCRIPTS) {
    const run = new Function("window", "lunr", "location", "fetch", readFileSync(script, "utf8"));
    run(window, lunr, { href: GOLDEN_INDEX.href }, fetchFile);
  }
  return window;
}

// The PaperIndex class of search-index.js.
export function paperIndexClass() {
  return searchScripts().PaperIndex;
}

// search/index.json of the golden site, which the Python tests keep equal to a fresh build.
export function goldenHead() {
  return JSON.parse(readFileSync(GOLDEN_INDEX, "utf8"));
}
