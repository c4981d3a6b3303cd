// What a query asks for, in the terms of the index (search-index.js's PaperIndex): its words,
// each with the terms it may match, the quoted phrases, and the names it may mean joined or
// split. Joined and split names come from the catalogue's own vocabulary (every word of its
// titles, abstracts, family and topic names, model names with their versions), never from a
// list: "llamaguard" is "llama" + "guard" because both are indexed words, and "tiny llava"
// may mean "tinyllava" because that is one.
(function () {
  "use strict";
  const QUOTES = /["\u201c\u201d\u201e\u201f\u00ab\u00bb]/;  // a phrase is quoted with any of these
  const MAX_WORDS = 20;  // words searched; a longer query is cut, and the page says so
  const SPLIT = [4, 32];  // lengths of a word that may be two or three names run together
  const PART = 2;  // the shortest part of such a word
  const MAX_SPLITS = 6;  // ways to split one word, the most even first
  const RARE = 0.01;  // a word held by fewer papers than this share may be names run together
  const NUMBER = /^[0-9]+$/;
  const STOP = -2;  // a part that is a stop word (-1: a part that is no indexed word)
  const PREFIX = 3;  // shortest word that also matches as a prefix (as in search-index.js)
  const CORRECT = [5, 20];  // lengths of an unknown word whose one-letter slips are undone
  const LETTERS = "abcdefghijklmnopqrstuvwxyz";

  // British and American spellings of the same word, both ways: a query word's other
  // spelling counts as typed when the catalogue holds it ("optimisation", "behaviour").
  const SPELLINGS = [
    [/([a-z]{2}[iy])s(e|es|ed|er|ers|ing|ation|ations|ational)$/, "$1z$2"],
    [/([a-z]{2}[iy])z(e|es|ed|er|ers|ing|ation|ations|ational)$/, "$1s$2"],
    [/([a-z]{3})our(s|ed|ing|al|ally|ful|ite|ites|able|less)?$/, "$1or$2"],
    [/([a-z]{3})or(s|ed|ing|al|ally|ful|ite|ites|able|less)?$/, "$1our$2"],
    [/([a-z]{2}[bt])re(s|d)?$/, "$1er$2"],
    [/([a-z]{2}[bt])er(s|ed)?$/, "$1re$2"],
    [/([a-z]{3})ogue(s)?$/, "$1og$2"],
    [/([a-z]{3})og(s)?$/, "$1ogue$2"],
    [/([a-z]{3})ence(s)?$/, "$1ense$2"],
    [/([a-z]{3})ense(s)?$/, "$1ence$2"],
    [/([a-z])[ao]e([a-z]{2})/, "$1e$2"],
    [/(gra)mme(s)?$/, "$1m$2"],
    [/(gram)(s)?$/, "$1me$2"],
    [/dgement(s)?$/, "dgment$1"],
    [/dgment(s)?$/, "dgement$1"],
  ];

  // The query cut at its quotes: odd parts are quoted; a quote left open runs to the end.
  function segments(query) {
    const parts = query.split(QUOTES);
    return parts.map((text, k) => ({ text, quoted: k % 2 === 1,
      open: k % 2 === 1 && k === parts.length - 1 }));
  }

  // lunr's query syntax, read in the unquoted parts of a query: `-word` leaves out the papers
  // holding the word (its words go to `excluded`); a required mark (`+word`), a field
  // (`title:word`), a boost (`word^10`), an edit distance (`word~1`) and a wildcard
  // (`word*`) are dropped, leaving the word, which is searched as any other.
  function syntax(engine, text, excluded) {
    return text.split(/(\s+)/).map((token) => {
      let word = token.startsWith("+") ? token.slice(1) : token;
      const out = word.length > 1 && word.startsWith("-");
      if (out) word = word.slice(1);
      const colon = word.indexOf(":");
      if (colon > 0 && engine.fields.includes(word.slice(0, colon))) word = word.slice(colon + 1);
      word = word.replace(/[\^~][0-9]*$/, "");
      let end = word.length;
      while (end && word[end - 1] === "*") end--;  // (a pattern \*+$ takes quadratic time)
      word = word.slice(0, end);
      if (!out) return word;
      excluded.push(...engine.words(word));
      return " ";
    }).join("");
  }

  // The term numbers of a word spelled the other way, where the catalogue has them.
  function spellings(engine, raw) {
    const found = new Set();
    for (const [pattern, replacement] of SPELLINGS) {
      if (!pattern.test(raw)) continue;
      const term = engine.term(raw.replace(pattern, replacement));
      const i = term ? engine.number(term) : -1;
      if (i >= 0) found.add(i);
    }
    return found;
  }

  // A word's terms: `exact` (as typed, or spelled the other way) and `all` (with prefixes
  // and typos, as PaperIndex.expansions finds them; quoted words match exactly, but the last
  // word of a quote still open may be a prefix, being typed).
  function forms(engine, unit, last) {
    const exact = spellings(engine, unit.raw);
    const own = engine.number(unit.term);
    if (own >= 0) exact.add(own);
    const all = new Set(exact);
    if (!unit.quoted) {
      engine.expansions(unit.term, last).forEach((i) => all.add(i));
      if (!exact.size) corrections(engine, unit.raw).forEach((i) => all.add(i));
    } else if (unit.open && last && unit.term.length >= PREFIX) {
      engine.prefixed(unit.term).forEach((i) => all.add(i));
    }
    return { exact, all };
  }

  // The terms of the words one slip away from a word the catalogue lacks (a letter left out,
  // added, changed, or two swapped), stemmed: "tokenizaton" -> "tokenization" -> "token".
  // Typos of its stem (PaperIndex.typos) miss these when the slip keeps the stemmer from
  // removing a suffix, or when the stems differ by more than the slip.
  function corrections(engine, raw) {
    const found = new Set(), tried = new Set();
    if (raw.length < CORRECT[0] || raw.length > CORRECT[1] || /[^a-z]/.test(raw)) return found;
    const attempt = (word) => {
      if (tried.has(word)) return;
      tried.add(word);
      const term = engine.term(word), i = term ? engine.number(term) : -1;
      if (i >= 0) found.add(i);
    };
    for (let k = 0; k <= raw.length; k++) {
      const head = raw.slice(0, k), tail = raw.slice(k);
      if (tail) attempt(head + tail.slice(1));
      if (tail.length > 1) attempt(head + tail[1] + tail[0] + tail.slice(2));
      for (const letter of LETTERS) {
        attempt(head + letter + tail);
        if (tail) attempt(head + letter + tail.slice(1));
      }
    }
    return found;
  }

  // A part of a word: its term number, STOP for a stop word, -1 for no indexed word.
  function part(engine, text) {
    const term = engine.term(text);
    return term ? engine.number(term) : STOP;
  }

  // Whether a part of a word may stand for an indexed word: PART characters or more, or a
  // number ("4bit": "4", "bit").
  function fits(text) {
    return text.length >= PART || NUMBER.test(text);
  }

  // The ways a word is two or three indexed words run together, each as the term numbers
  // that must stand in sequence (a stop word between two names is left out, as the index
  // leaves it out: "mixtureofexperts" is "mixture", "experts").
  function splits(engine, raw) {
    if (raw.length < SPLIT[0] || raw.length > SPLIT[1]) return [];
    const heads = [], tails = [], found = [];
    for (let i = 1; i < raw.length; i++) {
      heads[i] = fits(raw.slice(0, i)) ? part(engine, raw.slice(0, i)) : -1;
      tails[i] = fits(raw.slice(i)) ? part(engine, raw.slice(i)) : -1;
    }
    for (let i = 1; i < raw.length; i++) {
      if (heads[i] < 0) continue;
      if (tails[i] >= 0) found.push({ terms: [heads[i], tails[i]], even: Math.min(i, raw.length - i) });
      for (let j = i + 1; j < raw.length; j++) {
        if (tails[j] < 0 || !fits(raw.slice(i, j))) continue;
        const middle = part(engine, raw.slice(i, j));
        if (middle === -1) continue;
        const terms = middle === STOP ? [heads[i], tails[j]] : [heads[i], middle, tails[j]];
        found.push({ terms, even: Math.min(i, j - i, raw.length - j) });
      }
    }
    found.sort((a, b) => b.even - a.even);
    return found.slice(0, MAX_SPLITS).map((s) => s.terms);
  }

  // Two or three neighbouring words of a segment typed apart that the catalogue writes as
  // one ("layer skip" -> "layerskip"), matched as typed or as a prefix ("smol lm" ->
  // "smollm2"). `units` are the words (by number) that the joined form stands for.
  function joins(engine, words, unitOf) {
    const found = [];
    for (let s = 0; s < words.length; s++) {
      for (let n = 2; n <= 3 && s + n <= words.length; n++) {
        const units = words.slice(s, s + n).map((_, k) => unitOf[s + k]).filter((u) => u >= 0);
        if (unitOf[s] < 0 || unitOf[s + n - 1] < 0 || units.length < 2) continue;
        const term = engine.term(words.slice(s, s + n).join(""));
        const terms = new Set(term ? engine.prefixed(term) : []);
        if (terms.size) found.push({ units, terms, exact: engine.number(term) });
      }
    }
    return found;
  }

  // The query as PaperSearch uses it: `units` (each word that is no stop word, in order,
  // with its forms; its splits come with `splitRare`; a word typed again is the same
  // object), `phrases` (the units of each quoted part, which must stand together,
  // in order), `joins`, `excluded` (the terms of the words marked `-word`, as typed or
  // spelled the other way), `text` (the query without lunr's syntax) and whether words
  // were left out (`truncated`).
  function plan(engine, query) {
    const units = [], phrases = [], joined = [], known = new Map(), out = [];
    let truncated = false;
    const parts = segments(query);
    for (const segment of parts) if (!segment.quoted) segment.text = syntax(engine, segment.text, out);
    for (const segment of parts) {
      const words = engine.words(segment.text), first = units.length;
      const unitOf = words.map((raw) => {
        const term = engine.term(raw), key = `${term} ${segment.quoted} ${segment.open}`;
        if (!term) return -1;
        if (units.length >= MAX_WORDS) { truncated = true; return -1; }
        if (!known.has(key)) known.set(key, { raw, term, quoted: segment.quoted, open: segment.open });
        units.push(known.get(key));  // a word typed twice is one object, worked out once
        return units.length - 1;
      });
      joined.push(...joins(engine, words, unitOf));
      if (segment.quoted && units.length - first > 1) {
        phrases.push(units.slice(first).map((_, k) => first + k));
      }
    }
    for (const unit of known.values()) {
      Object.assign(unit, forms(engine, unit, unit === units[units.length - 1]), { splits: [] });
    }
    const excluded = new Set(out.flatMap((raw) => {
      const term = engine.term(raw), own = term ? engine.number(term) : -1;
      return term ? [...spellings(engine, raw), ...(own >= 0 ? [own] : [])] : [];
    }));
    return { units, phrases, joins: joined, excluded, truncated, words: units.length + out.length,
      text: parts.map((segment) => segment.text).join(" ") };
  }

  // Once the shards of the plan's terms are loaded: the splits of each word that few papers
  // hold as typed ("llamaguard", in one abstract), which are likely names run together (a
  // common word, "reasoning", is taken as itself, not as "reason" + "ing"); and the long
  // forms of an acronym the catalogue defines, typed unquoted ("cot": "chain of thought").
  function splitRare(engine, plan) {
    for (const unit of new Set(plan.units)) {
      let held = 0;  // postings of its exact forms, over all fields: at least the papers
      for (const i of unit.exact) for (const [documents] of engine.postings(i)) held += documents.length;
      if (held < RARE * engine.count) unit.splits = splits(engine, unit.raw);
      if (!unit.quoted) unit.splits.push(...engine.spelledOut(unit.term));
    }
    return [...new Set(plan.units)].flatMap((unit) => unit.splits.flat());
  }

  window.PaperWords = { plan, splitRare, segments, spellings, splits, MAX_WORDS };
})();
