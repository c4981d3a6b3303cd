// search-index.js turns words and texts into the terms that sitegen/search/analysis.py makes
// of them (tests/js/terms.json, written by tests/search_terms.py): the index and the queries
// must go through one text pipeline, or a query misses the papers it names.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { goldenHead, paperIndexClass } from "./paper-index.mjs";

// SEARCH_TERMS_TABLE names another table (tests/test_search.py shows a wrong one fails).
const TABLE = process.env.SEARCH_TERMS_TABLE ?? new URL("terms.json", import.meta.url);
const table = JSON.parse(readFileSync(TABLE, "utf8"));
const PaperIndex = paperIndexClass();
const engine = new PaperIndex({ ...goldenHead(), modelNames: table.modelNames }, "index.json");

test("every word becomes the term Python makes of it", () => {
  const words = Object.entries(table.terms);
  assert.ok(words.length > 300);
  const differing = words.filter(([word, term]) => engine.term(word) !== term)
    .map(([word, term]) => `${word}: "${engine.term(word)}" here, "${term}" in Python`);
  assert.deepEqual(differing, []);
});

test("every text becomes the terms Python makes of it, model names joined to versions", () => {
  const texts = Object.entries(table.tokens);
  assert.ok(texts.some(([text, terms]) => text === "Llama 2" && terms === "llama2"));
  const differing = texts.filter(([text, terms]) => engine.tokens(text).join(" ") !== terms)
    .map(([text, terms]) => `${JSON.stringify(text)}: "${engine.tokens(text).join(" ")}" here, ` +
      `"${terms}" in Python`);
  assert.deepEqual(differing, []);
});
