// What a query means (search-words.js) and how its papers rank (search-rank.js), on the
// golden site's search data: names typed joined or apart, other spellings, slips, quoted
// phrases, words that stand together, exact titles, and queries that must stay cheap.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GOLDEN_INDEX, goldenHead, searchScripts } from "./paper-index.mjs";

const { PaperIndex, PaperWords, PaperSequence, PaperSearch } = searchScripts();
const head = goldenHead();
const engine = new PaperIndex(head, GOLDEN_INDEX.href);
const words = (numbers) => [...numbers].map((i) => engine.vocabulary[i]).sort();

async function titles(query) {
  const { hits } = await engine.search(query);
  return hits.map(({ doc }) => head.documents.title[doc]);
}

test("quoted parts are phrases; a quote left open runs to the end of the query", () => {
  const plan = PaperWords.plan(engine, 'instruction "visual tuning" "large lan');
  assert.deepEqual(plan.phrases, [[1, 2], [3, 4]]);
  assert.deepEqual(plan.units.map((u) => [u.term, u.quoted]), [["instruct", false],
    ["visual", true], ["tune", true], ["larg", true], ["lan", true]]);
  assert.deepEqual(words(plan.units[1].all), ["visual"]);  // exactly, no prefix or typo
  assert.ok(words(plan.units[4].all).includes("languag"));  // still being typed
});

test("a word is split into two or three indexed words, a stop word between them left out", () => {
  const split = (word) => PaperWords.splits(engine, word).map((s) => words(s).join(" "));
  assert.ok(split("visualinstruction").includes("instruct visual"));
  assert.ok(split("instructiontuning").includes("instruct tune"));
  assert.ok(split("largelanguagemodels").includes("languag larg model"));
  assert.ok(split("mixtureoflanguage").every((s) => !s.includes("of")));
  assert.deepEqual(split("x".repeat(1000)), []);  // far too long to be a name: not tried
});

test("neighbouring words are joined when the catalogue writes them as one", () => {
  const plan = PaperWords.plan(engine, "q lora fine tuned");
  assert.deepEqual(plan.joins.map((j) => [j.units, words(j.terms)]),
    [[[0, 1], ["qlora"]], [[2, 3], ["finetun"]]]);
});

test("other spellings count as typed; slips of an unknown word are undone", () => {
  const plan = PaperWords.plan(engine, "quantised optimisation quantizaton");
  assert.deepEqual(words(plan.units[0].exact), ["quantiz"]);
  assert.deepEqual(words(plan.units[1].exact), ["optim"]);
  assert.ok(words(plan.units[2].all).includes("quantiz"));
});

test("names typed joined or apart find their paper", async () => {
  assert.deepEqual(await titles("visualinstruction"), ["Visual Instruction Tuning"]);
  assert.deepEqual(await titles("q lora"), ["QLoRA: Efficient Finetuning of Quantized LLMs"]);
  assert.deepEqual(await titles('"q lora"'), ["QLoRA: Efficient Finetuning of Quantized LLMs"]);
});

test("a quoted phrase matches only papers holding its words in that order", async () => {
  assert.deepEqual(await titles('"instruction tuning"'), ["Visual Instruction Tuning"]);
  assert.deepEqual(await titles('"tuning instruction"'), []);
  assert.deepEqual(await titles('"grouped query attention"'), ["Mistral 7B"]);
  const outcome = await engine.search('"attention query grouped"');
  assert.deepEqual([outcome.hits, outcome.partial], [[], false]);
});

test("words found together, in order, score more, and more in a title than an abstract", () => {
  const { idf, TOGETHER } = PaperSearch;
  assert.ok(TOGETHER.title > TOGETHER.abstract && TOGETHER.abstract > 0);
  assert.ok(idf(1, 100) > idf(10, 100));  // rarer together, more telling
  const [title, abstract] = PaperSequence.sequence(engine, [
    new Set([engine.number("instruct")]), new Set([engine.number("tune")])]);
  const visual = head.documents.title.indexOf("Visual Instruction Tuning");
  assert.equal(title.get(visual), 1);
  assert.ok(abstract.size >= 1);
});

test("a title typed whole, or its part before the colon, comes first", async () => {
  assert.equal((await titles("Visual Instruction Tuning"))[0], "Visual Instruction Tuning");
  assert.equal((await titles("llama"))[0], "LLaMA: Open and Efficient Foundation Language Models");
  assert.equal((await titles("llama 2"))[0], "Llama 2: Open Foundation and Fine-Tuned Chat Models");
});

test("a query with no words, a very long word or hundreds of words stays cheap", async () => {
  const none = await engine.search("(.*)+[^$]{,}\\ |? \"");
  assert.deepEqual([none.hits, none.words], [[], 0]);
  const long = await engine.search("x".repeat(10_000));
  assert.deepEqual([long.hits, long.words], [[], 1]);
  const many = await engine.search(Array.from({ length: 500 }, (_, k) => `w${k}`).join(" "));
  assert.deepEqual([many.words, many.truncated], [PaperWords.MAX_WORDS, true]);
});

test("-word leaves out the papers holding the word; lunr's other marks leave the word", async () => {
  const qlora = "QLoRA: Efficient Finetuning of Quantized LLMs";
  assert.ok((await titles("quantized")).includes(qlora));
  assert.ok(!(await titles("quantized -qlora")).includes(qlora));
  assert.ok(!(await titles("quantised -QLoRA")).includes(qlora));
  const others = await titles("-qlora");  // every other paper
  assert.equal(others.length, head.documents.id.length - 1);
  assert.ok(!others.includes(qlora));
  for (const query of ["qlora^10", "qlora~1", "title:qlora", "+qlora", "qlora*", "abstract:qlora^2"]) {
    assert.deepEqual(await titles(query), [qlora], query);
  }
  assert.deepEqual(await titles("llama -llama-2"), await titles("llama -LLaMA2"));
  assert.ok(!(await titles("llama -llama-2")).includes(
    "Llama 2: Open Foundation and Fine-Tuned Chat Models"));
  assert.deepEqual(await titles("fine-tuned"), await titles("fine tuned"));  // no exclusion
  assert.deepEqual(await titles('"-qlora"'), await titles("qlora"));  // quoted: plain text
});

test("papers holding a word only by a slip come after those holding it as typed", async () => {
  // "Mistral 7B" says "Llama 2" (the word as typed, with its version); "Visual Instruction
  // Tuning" says only "LLaVA", one letter off, and scores more for it
  const found = await titles("llama");
  const [mistral, llava] = ["Mistral 7B", "Visual Instruction Tuning"].map((t) => found.indexOf(t));
  assert.ok(mistral >= 0 && llava === found.length - 1 && mistral < llava, found.join(" | "));
  const { score } = engine.scores(new Map([[engine.number("llama"), 1], [engine.number("llava"), 1]]));
  const doc = (title) => head.documents.title.indexOf(title);
  assert.ok(score[doc("Visual Instruction Tuning")] > score[doc("Mistral 7B")]);  // by score alone
});

test("when no paper has every word, even a word most papers hold finds papers", async () => {
  const outcome = await engine.search("llama zzzzqx");  // "llama": in most golden papers
  assert.equal(outcome.partial, true);
  assert.equal(head.documents.title[outcome.hits[0].doc],
    "LLaMA: Open and Efficient Foundation Language Models");
  const alone = await engine.search("zzzzqx");
  assert.deepEqual([alone.hits, alone.partial], [[], false]);
});

test("a number run together with a word is split where the digits end", async () => {
  const split = (word) => PaperWords.splits(engine, word).map((s) => words(s).join(" "));
  assert.ok(split("4bit").includes("4 bit"));
  assert.deepEqual(split("xbit"), []);  // one letter is no part; one digit is
  assert.deepEqual(await titles("4bit"), ["QLoRA: Efficient Finetuning of Quantized LLMs"]);
});

test("an acronym the catalogue defines also finds the papers holding its long form", async () => {
  // The golden catalogue defines none: these are as sitegen/search/acronyms.py ships them.
  const acronyms = { gqa: [["group", "queri", "attent"]], vit: [["visual", "instruct", "tune"]],
    zzq: [["visual", "zzzzqx"]] };
  const defining = new PaperIndex({ ...head, acronyms }, GOLDEN_INDEX.href);
  const found = async (query) => (await defining.search(query)).hits.map(({ doc }) =>
    head.documents.title[doc]);
  assert.deepEqual(await found("gqa"), ["Mistral 7B"]);  // "grouped-query attention"
  assert.deepEqual(await found("vit"), ["Visual Instruction Tuning"]);
  assert.deepEqual(await found('"vit"'), []);  // quoted: only as typed
  assert.deepEqual(defining.spelledOut("zzq"), []);  // a long form no paper holds a term of
  assert.deepEqual(await titles("gqa"), []);  // without the definition: no such word
});

test("when no paper has every word, only words held as typed bring papers, not their slips", async () => {
  assert.deepEqual(await titles("mistarl"), ["Mistral 7B"]);  // a slip, alone: found
  const outcome = await engine.search("mistarl zzzzqx");  // a slip, and a word none holds
  assert.deepEqual([outcome.hits, outcome.partial], [[], false]);
  assert.equal((await engine.search("mistral zzzzqx")).partial, true);  // as typed: shown
});

test("when no paper has every word, a word is not taken for a shorter one it may be on its way to", async () => {
  // "mistralian": no paper's word; taken alone, it may still be being typed ("mistral...")
  assert.deepEqual(await titles("mistralian"), ["Mistral 7B"]);
  const outcome = await engine.search("zzzzqx mistralian");
  assert.deepEqual([outcome.hits, outcome.partial], [[], false]);
  assert.equal((await engine.search("zzzzqx mistr")).partial, true);  // a word it begins: shown
});
