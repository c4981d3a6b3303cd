// search-index.js reads the search data that sitegen/search/files.py writes, by name: the
// golden site's search/index.json and shards (sitegen/schemas/search-*.schema.json).
import assert from "node:assert/strict";
import { test } from "node:test";
import { GOLDEN_INDEX, goldenHead, paperIndexClass } from "./paper-index.mjs";

const PaperIndex = paperIndexClass();
const head = goldenHead();

async function firstTitle(query) {
  const engine = new PaperIndex(head, GOLDEN_INDEX.href);
  const { hits } = await engine.search(query);
  return head.documents.title[hits[0].doc];
}

test("queries find their paper first, from the shards they need", async () => {
  assert.equal(await firstTitle("qlora"), "QLoRA: Efficient Finetuning of Quantized LLMs");
  assert.equal(await firstTitle("llama2 chat"),
    "Llama 2: Open Foundation and Fine-Tuned Chat Models");
});

test("data of another format is refused, not misread", () => {
  assert.throws(() => new PaperIndex({ ...head, format: 1 }, GOLDEN_INDEX.href),
    { message: "search data of format 1, not 6" });
});
