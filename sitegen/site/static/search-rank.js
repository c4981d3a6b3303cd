// Which papers a query finds and in what order, from the plan of search-words.js, the
// postings of search-index.js's PaperIndex and the sequences search-sequence.js finds:
// - every word must match one of its forms (as typed, spelled the other way, a prefix, one
//   typo), a split of it whose parts stand in sequence when few papers hold it as typed
//   ("llamaguard": "Llama Guard"), the long form of an acronym the catalogue defines ("cot":
//   "Chain-of-Thought"), or a joined form of it and its neighbours ("layer skip":
//   "LayerSkip"); words found in a fifth of all papers or more only rank; if no paper has
//   every word, papers with some as typed are shown (the most words first);
// - papers holding more of the words with no typo come first;
// - a quoted phrase matches only papers whose title or abstract holds its words in order;
// - the score is lunr's for the query's terms (a form typed exactly weighs ten times more),
//   plus, for each two neighbouring words (and each split word) found together and in order,
//   a score of their own, as lunr scores a term: its idf (from how many papers have them
//   together), the title's weight in a title and half of it in an abstract;
// - a paper whose title, or its part before the colon, is the query comes first.
(function () {
  "use strict";
  const COMMON = 0.2;  // a word in this share of papers or more does not have to match
  const EXACT = 10;  // the query boost of a form typed exactly (others: 1)
  const TOGETHER = { title: 10, abstract: 5 };  // weight of words found together, per field
  const K1 = 1.2;  // lunr's term frequency saturation

  const sequence = (...args) => window.PaperSequence.sequence(...args);

  // lunr's idf, for something `holding` papers of `count` have.
  function idf(holding, count) {
    return Math.log(1 + Math.abs((count - holding + 0.5) / (holding + 0.5)));
  }

  function mark(engine, numbers, marks) {
    for (const i of numbers) {
      for (const [documents] of engine.postings(i)) for (const doc of documents) marks[doc] = 1;
    }
  }

  function markFound(maps, marks) {
    for (const found of maps) found.forEach((_, doc) => { marks[doc] = 1; });
  }

  // A word's forms as typed: as typed or spelled the other way, or a word it begins ("tulu":
  // "tulu3"); not a typo ("mixtral": "mistral").
  function held(engine, unit) {
    return [...unit.all].filter((i) => unit.exact.has(i) || engine.vocabulary[i].startsWith(unit.term));
  }

  // A word's forms that begin it: the last word taken as still being typed ("generati":
  // "gener"), which may be a whole word ("imagery": "image").
  function begun(engine, unit) {
    return [...unit.all].filter((i) => unit.term.startsWith(engine.vocabulary[i]));
  }

  // For each word (once, however often typed), the papers it matches (1 by document): a form,
  // a split in sequence, or a joined form covering it; `held`, those it matches as typed;
  // and `typed`, those it matches with no slip (as typed, or as a word being typed).
  function matching(engine, plan, splitFound) {
    return [...splitFound.keys()].map((unit) => {
      const whole = new Uint8Array(engine.count);
      mark(engine, held(engine, unit), whole);
      splitFound.get(unit).forEach((maps) => markFound(maps, whole));
      for (const join of plan.joins) {
        if (join.units.some((u) => plan.units[u] === unit)) mark(engine, join.terms, whole);
      }
      const typed = whole.slice();
      mark(engine, begun(engine, unit), typed);
      const marks = typed.slice();
      mark(engine, unit.all, marks);
      return { marks, typed, held: whole };
    });
  }

  // For each quoted phrase, the papers holding its words in order, or a joined form of all.
  function phraseMarks(engine, plan) {
    return plan.phrases.map((units) => {
      const marks = new Uint8Array(engine.count);
      markFound(sequence(engine, units.map((u) => plan.units[u].all)), marks);
      for (const join of plan.joins) {
        if (units.every((u) => join.units.includes(u))) mark(engine, join.terms, marks);
      }
      return marks;
    });
  }

  // Adds the places of a joined form to the maps of the pair of words it joins.
  function addJoin(engine, join, maps) {
    engine.positioned.forEach((slot, j) => {
      for (const i of join.terms) {
        const { offsets } = engine.places(i, j);
        engine.postings(i)[slot][0].forEach((doc, k) => {
          maps[j].set(doc, (maps[j].get(doc) || 0) + offsets[k + 1] - offsets[k]);
        });
      }
    });
  }

  // Adds the documents of `other` to `maps` (per positioned field), keeping the most times.
  function merge(maps, other) {
    other.forEach((found, j) => found.forEach((times, doc) => {
      if (!(maps[j].get(doc) >= times)) maps[j].set(doc, times);
    }));
    return maps;
  }

  // The forms of a word that count for standing together with its neighbours: those typed
  // exactly (or spelled the other way), else its prefixes and typos (a word being typed, or
  // mistyped). Prefixes and typos of a known word, many in a large catalogue, do not count.
  function core(unit) {
    return unit.exact.size ? unit.exact : unit.all;
  }

  // The ways a word may stand in a text, as sequences of term groups: any of its forms, or
  // the parts of a split of it that some paper holds.
  function shapes(unit, splitFound) {
    return [[core(unit)], ...unit.splits.filter((_, s) => splitFound.get(unit)[s].some((m) => m.size))
      .map((terms) => terms.map((i) => [i]))];
  }

  // Two neighbouring words found together: in sequence (either may be split, as in
  // "continual pre-training" for "continual pretraining"), or joined.
  function pair(engine, plan, splitFound, u) {
    const maps = sequence(engine, [core(plan.units[u]), core(plan.units[u + 1])]);
    for (const a of shapes(plan.units[u], splitFound)) {
      for (const b of shapes(plan.units[u + 1], splitFound)) {
        if (a.length + b.length > 2) merge(maps, sequence(engine, [...a, ...b]));
      }
    }
    for (const join of plan.joins) {
      if (join.units.includes(u) && join.units.includes(u + 1)) addJoin(engine, join, maps);
    }
    return maps;
  }

  // What earns the bonus for words found together: each split word (its splits merged), and
  // each two neighbouring words. Per link, per positioned field: document -> times.
  function links(engine, plan, splitFound) {
    const found = [...splitFound.values()].filter((splits) => splits.length).map(
      (splits) => splits.reduce(merge, engine.positioned.map(() => new Map())));
    const pairs = new Map();  // each pair of words once, however often typed
    for (let u = 0; u + 1 < plan.units.length; u++) {
      const [a, b] = [plan.units[u], plan.units[u + 1]];
      if (!pairs.has(a)) pairs.set(a, new Set());
      if (pairs.get(a).has(b)) continue;
      pairs.get(a).add(b);
      found.push(pair(engine, plan, splitFound, u));
    }
    return found;
  }

  // Each paper's bonus: per link, its best field's BM25 score (without length
  // normalisation, which positions alone cannot give) times that field's weight.
  function bonuses(engine, linked) {
    const bonus = new Float64Array(engine.count);
    for (const maps of linked) {
      const best = new Map();
      maps.forEach((found, j) => {
        const weight = TOGETHER[engine.fields[engine.positioned[j]]] * idf(found.size, engine.count);
        found.forEach((times, doc) => {
          const value = weight * (K1 + 1) * times / (K1 + times);
          if (!(best.get(doc) >= value)) best.set(doc, value);
        });
      });
      best.forEach((value, doc) => { bonus[doc] += value; });
    }
    return bonus;
  }

  // lunr query boosts: each word's forms (typed exactly: EXACT, else 1) and joined forms.
  function weights(plan) {
    const boosts = new Map();
    const raise = (i, boost) => { if (!(boosts.get(i) >= boost)) boosts.set(i, boost); };
    for (const unit of plan.units) unit.all.forEach((i) => raise(i, unit.exact.has(i) ? EXACT : 1));
    for (const join of plan.joins) join.terms.forEach((i) => raise(i, i === join.exact ? EXACT : 1));
    return boosts;
  }

  // How many papers a word's marks hold.
  function counted(marks) {
    let n = 0;
    for (let doc = 0; doc < marks.length; doc++) n += marks[doc];
    return n;
  }

  // How many of `words` each paper has (`kind`: "marks", "typed" or "held"), 0 where it lacks
  // a phrase.
  function coverage(engine, words, phrases, kind) {
    const covered = new Uint8Array(engine.count);
    for (const word of words) for (let doc = 0; doc < engine.count; doc++) covered[doc] += word[kind][doc];
    for (const marks of phrases) for (let doc = 0; doc < engine.count; doc++) covered[doc] *= marks[doc];
    return covered;
  }

  // Papers with every required word and every phrase; or, when none has every word, the
  // papers with some of the words as typed (most words first: a word no paper holds is no
  // slip of another, and slips of the rest alone are noise, "knitting" for "knit", as are
  // the shorter words a word may be on its way to, "imagery" for "image"). Papers
  // with more words free of slips come before those that match them only by a typo
  // ("mixtral" before "Mistral"), then the better score, then the older paper.
  function select(engine, words, phrases, score) {
    const common = words.map((word) => counted(word.marks) >= COMMON * engine.count);
    const required = common.every(Boolean) ? words : words.filter((_, u) => !common[u]);
    const typed = coverage(engine, words, [], "typed");
    const order = (a, b) => typed[b.doc] - typed[a.doc] || b.score - a.score || a.doc - b.doc;
    const covered = coverage(engine, required, phrases, "marks");
    const complete = [];
    for (let doc = 0; doc < engine.count; doc++) {
      if (covered[doc] === required.length) complete.push({ doc, score: score[doc] });
    }
    if (complete.length || words.length <= 1) return { hits: complete.sort(order), partial: false };
    const some = coverage(engine, words, phrases, "held"), hits = [];
    for (let doc = 0; doc < engine.count; doc++) if (some[doc]) hits.push({ doc, score: score[doc] });
    hits.sort((a, b) => some[b.doc] - some[a.doc] || order(a, b));
    return { hits, partial: hits.length > 0 };
  }

  // A text's terms, and its words run together ("Tiny LLaVA" and "TinyLLaVA" agree).
  function titleKeys(engine, text) {
    const words = engine.words(text);
    return [words.map((w) => engine.term(w)).filter(Boolean).join(" "), words.join("")];
  }

  // A title, and its part before the colon if it has one.
  function titleParts(title) {
    const colon = title.indexOf(":");
    return colon > 0 ? [title, title.slice(0, colon)] : [title];
  }

  // The keys of a paper's title part (0: the title, 1: its part before the colon), worked
  // out once a part, and only for parts about as long as some query.
  const titles = new WeakMap();  // engine -> keys by document, then by part
  function keysOf(engine, doc, part, text) {
    if (!titles.has(engine)) titles.set(engine, []);
    const known = titles.get(engine);
    known[doc] ??= [];
    known[doc][part] ??= titleKeys(engine, text);
    return known[doc][part];
  }

  // The hits whose title, or its part before the colon, is the query, moved first: the same
  // words as typed first, then the same terms ("Me LLaMA" is "llama" without its stop word).
  // Only title parts about as long as the query are looked at.
  function titleFirst(engine, query, hits) {
    const [terms, run] = titleKeys(engine, query);
    const near = (text) => Math.abs(text.length - query.length) <= 8 + query.length / 2;
    const tier = new Map();
    for (const hit of hits) {
      let found = 0;
      titleParts(engine.titles[hit.doc]).forEach((text, part) => {
        if (!near(text)) return;
        const [partTerms, partRun] = keysOf(engine, hit.doc, part, text);
        found = Math.max(found, partRun === run ? 2 : partTerms === terms ? 1 : 0);
      });
      if (found) tier.set(hit, found);
    }
    const first = [...tier.keys()].sort((a, b) => tier.get(b) - tier.get(a));
    return first.length ? [...first, ...hits.filter((hit) => !tier.has(hit))] : hits;
  }

  // The query's hits, best first, with the terms that matched (to highlight), whether they
  // are partial, how many words were searched and whether some were left out; null when
  // `stale()` says a newer query has come meanwhile.
  async function search(engine, query, stale) {
    const plan = window.PaperWords.plan(engine, query);
    const boosts = weights(plan);
    const outcome = { hits: [], partial: false, terms: new Set(), words: plan.words,
      truncated: plan.truncated };
    if (!plan.words) return outcome;
    await engine.load([...boosts.keys(), ...plan.excluded]);  // first the words' own terms
    if (stale()) return null;
    const excluded = new Uint8Array(engine.count);
    mark(engine, plan.excluded, excluded);
    const kept = (hits) => hits.filter((hit) => !excluded[hit.doc]);
    if (!plan.units.length) {  // only words to leave out: every other paper, oldest first
      outcome.hits = kept(Array.from({ length: engine.count }, (_, doc) => ({ doc, score: 0 })));
      return outcome;
    }
    const parts = window.PaperWords.splitRare(engine, plan);
    await engine.load(parts);
    if (stale()) return null;
    const splitFound = new Map([...new Set(plan.units)].map((unit) => [unit, unit.splits.map(
      (terms) => sequence(engine, terms.map((i) => [i])))]));  // each word's, by word
    const bonus = bonuses(engine, links(engine, plan, splitFound));
    const length = Math.sqrt([...boosts.values()].reduce((sum, b) => sum + b * b, 0)) || EXACT;
    const { score } = engine.scores(boosts);
    for (let doc = 0; doc < engine.count; doc++) score[doc] += bonus[doc] * EXACT / length;
    const found = select(engine, matching(engine, plan, splitFound), phraseMarks(engine, plan), score);
    outcome.hits = kept(found.partial ? found.hits : titleFirst(engine, plan.text, found.hits));
    outcome.partial = found.partial;
    outcome.terms = new Set([...boosts.keys(), ...parts].map((i) => engine.vocabulary[i]));
    return outcome;
  }

  window.PaperSearch = { search, idf, TOGETHER, EXACT };
})();
