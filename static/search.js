// Search, entirely in the browser, over the prebuilt lunr index in search/index.json.
// Every value shown comes from data: it is placed with text nodes, never as HTML.
(function () {
  "use strict";
  const results = document.getElementById("search-results");
  const input = document.getElementById("search-query");
  const status = document.getElementById("search-status");
  const facets = document.getElementById("search-facets");
  if (!results || !input || !status || !facets || typeof lunr === "undefined") return;
  const base = results.dataset.base;
  const COMBINING = /[\u0300-\u036f]/g;
  const WORD_SPLIT = /[^\p{L}\p{N}]+/u;
  const COMMON = 0.2;  // a word in this share of papers or more does not have to match
  const PAGE = 50;  // results drawn at once
  const more = document.getElementById("search-more");
  let index, data, models, segments;

  // The text pipeline of sitegen/search.py, step for step.
  function fold(text) {
    return text.normalize("NFKD").replace(COMBINING, "").toLowerCase();
  }
  const terms = new Map();  // word -> term; the stemmer is the costly step
  function term(word) {
    if (!word) return "";
    let cached = terms.get(word);
    if (cached === undefined) {
      const kept = lunr.stopWordFilter(new lunr.Token(word));
      cached = kept ? lunr.stemmer(kept).toString() : "";
      terms.set(word, cached);
    }
    return cached;
  }
  function tokens(text) {
    let folded = fold(text);
    if (models) folded = folded.replace(models, "$1$2");
    return folded.split(WORD_SPLIT).map(term).filter(Boolean);
  }

  // A model name, an optional separator and a version ("Llama-3.1" -> llama, 3).
  function modelPattern(names, capture) {
    const sorted = names.slice().sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    const open = capture ? "(" : "(?:";
    return "(?<![\\p{L}\\p{N}])" + open + sorted.join("|") + ")[\\s_\\u2010-\\u2015-]*v?" + open + "[0-9]+)" +
      "(?:\\.[0-9]+)*(?![\\p{L}\\p{N}])";
  }

  // The index ships packed (terms, refs, field vectors): lunr's inverted index is implied,
  // as a term's posting lists the documents whose field vectors hold it. `order` lists the
  // terms in JavaScript's sort order, which lunr.Index.load needs for its token set.
  function unpack(packed) {
    const fieldNumber = new Map(packed.fields.map((f, i) => [f, i]));
    const holders = new Array(packed.terms.length);  // term -> per field, the refs holding it
    const fieldVectors = packed.vectors.map(([field, doc, elements]) => {
      const ref = doc.toString(36), slot = fieldNumber.get(field);
      for (let k = 0; k < elements.length; k += 2) {
        const lists = holders[elements[k]] || (holders[elements[k]] = packed.fields.map(() => []));
        lists[slot].push(ref);
      }
      return [field + "/" + ref, elements];
    });
    const invertedIndex = packed.order.map((i) => [packed.terms[i], { _index: i }]);
    const serialized = { version: packed.version, fields: packed.fields, fieldVectors, invertedIndex, pipeline: [] };
    return { serialized, holders };
  }

  // lunr reads postings only while searching, so each is made when first asked for.
  function lazyPostings(packed, holders) {
    const number = new Map(packed.terms.map((t, i) => [t, i]));
    const none = Object.freeze({});  // lunr only reads posting metadata: one empty object
    const made = new Map();
    return new Proxy(Object.create(null), {
      get(_, term) {
        if (made.has(term)) return made.get(term);
        const i = number.get(term);
        if (i === undefined) return undefined;
        const posting = { _index: i };
        packed.fields.forEach((field, slot) => {
          posting[field] = {};
          for (const ref of holders[i][slot]) posting[field][ref] = none;
        });
        made.set(term, posting);
        return posting;
      },
    });
  }

  function expansions(word, last) {
    const found = new Set();
    const add = (set) => index.tokenSet.intersect(set).toArray().forEach((t) => found.add(t));
    add(lunr.TokenSet.fromString(word));
    if (word.length >= 2) add(lunr.TokenSet.fromString(word + "*"));
    const versioned = /[0-9]/.test(word);  // "llama2" is not a typo of "llama3"
    if (word.length >= 5 && !versioned) add(lunr.TokenSet.fromFuzzyString(word, 1));
    if (last && !found.size) {  // a word still being typed, whose stem is shorter than it
      for (let k = word.length - 1; k >= Math.max(4, word.length - 4); k--) {
        add(lunr.TokenSet.fromString(word.slice(0, k)));
      }
    }
    return found;
  }

  // The papers that hold any of a word's forms, in any field.
  function papersWith(forms) {
    const refs = new Set();
    for (const form of forms) {
      const posting = index.invertedIndex[form];
      for (const field of index.fields) Object.keys(posting[field]).forEach((r) => refs.add(r));
    }
    return refs.size;
  }

  // Every word must match (an exact, prefix or one-typo form of it), except words found in
  // a fifth of all papers or more ("paper", "model"), which only rank. Ranking is lunr's.
  function search(query) {
    const words = [...new Set(tokens(query))];
    if (!words.length) return { hits: [], partial: false };
    const found = words.map((w, i) => expansions(w, i === words.length - 1));
    const all = new Set(found.flatMap((g) => [...g]));
    if (!all.size) return { hits: [], partial: false };
    const common = found.map((g) => papersWith(g) >= COMMON * data.documents.length);
    const groups = common.every(Boolean) ? found : found.filter((_, i) => !common[i]);
    const exact = new Set(words);
    const matches = index.query((q) => {
      for (const t of all) {
        q.term(t, { usePipeline: false, boost: exact.has(t) ? 10 : 1 });
      }
    });
    const scored = matches.map((r) => {
      const matched = Object.keys(r.matchData.metadata);
      const covered = groups.filter((g) => matched.some((t) => g.has(t))).length;
      return { ref: r.ref, score: r.score, matched: new Set(matched), covered };
    });
    const complete = scored.filter((r) => r.covered === groups.length);
    if (complete.length || groups.length === 1) return { hits: complete, partial: false };
    scored.sort((a, b) => b.covered - a.covered || b.score - a.score);
    return { hits: scored, partial: true };
  }

  function selected(name) {
    return new Set([...facets.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value));
  }

  // A paper's families with their parents: filtering by LLaMA includes Llama 2 papers.
  function lineage(familyIndexes) {
    const all = new Set();
    for (let i of familyIndexes) {
      while (i >= 0 && !all.has(i)) { all.add(i); i = data.families[i][2]; }
    }
    return [...all];
  }

  function passes(doc, topics, families) {
    const docTopics = doc[2].map((i) => data.topics[i][0]);
    const docFamilies = lineage(doc[3]).map((i) => data.families[i][0]);
    return (!topics.size || docTopics.some((t) => topics.has(t))) &&
      (!families.size || docFamilies.some((f) => families.has(f)));
  }

  function run() {
    const query = input.value.trim();
    const topics = selected("topic"), families = selected("family");
    let outcome;
    if (query) outcome = search(query);
    else if (topics.size || families.size) outcome = { hits: data.documents.map((_, i) => ({ ref: i.toString(36), matched: new Set() })), partial: false };
    else outcome = { hits: [], partial: false };
    const hits = outcome.hits.map((h) => ({ ...h, doc: data.documents[parseInt(h.ref, 36)] }));
    const shown = hits.filter((h) => passes(h.doc, topics, families));
    renderFacets(hits, topics, families);
    renderResults(shown);
    announce(query, shown.length, outcome.partial, topics.size + families.size);
    updateUrl(query, topics, families);
  }

  function announce(query, count, partial, filters) {
    let text = "";
    if (query || filters) {
      const noun = count === 1 ? "paper" : "papers";
      text = `${count} ${noun}` + (query ? ` for “${query}”` : "") + (filters ? " with the chosen filters" : "");
      if (partial) text += " (no paper has every word; showing papers with some of them)";
    }
    status.textContent = text;
  }

  function highlighted(title, matched) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const m of title.matchAll(segments)) {
      if (m.index > last) fragment.append(title.slice(last, m.index));
      const hit = tokens(m[0]).some((t) => matched.has(t));
      if (hit) {
        const mark = document.createElement("mark");
        mark.textContent = m[0];
        fragment.append(mark);
      } else {
        fragment.append(m[0]);
      }
      last = m.index + m[0].length;
    }
    if (last < title.length) fragment.append(title.slice(last));
    return fragment;
  }

  function resultItem(hit) {
    const [id, title, topicIdx, familyIdx] = hit.doc;
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = base + "papers/" + encodeURIComponent(id) + "/";
    a.className = "paper-title";
    a.append(highlighted(title, hit.matched));
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [...familyIdx.map((i) => data.families[i][1]),
      ...topicIdx.map((i) => data.topics[i][1])].join(" · ");
    li.append(a, meta);
    return li;
  }

  // The first PAGE results at once; the rest on request, so long lists stay instant.
  function renderResults(hits) {
    results.replaceChildren(...hits.slice(0, PAGE).map(resultItem));
    more.hidden = hits.length <= PAGE;
    more.textContent = `Show all ${hits.length} papers`;
    more.onclick = () => {
      results.append(...hits.slice(PAGE).map(resultItem));
      more.hidden = true;
      results.children[PAGE].querySelector("a").focus();
    };
  }

  function renderFacets(hits, topics, families) {
    const groups = [["topic", "Topic", data.topics, 2, topics, families], ["family", "Model family", data.families, 3, families, topics]];
    const fieldsets = groups.map(([name, legend, values, slot, mine, other]) => {
      const counts = new Map();
      for (const h of hits) {
        if (!passes(h.doc, name === "topic" ? new Set() : other, name === "topic" ? other : new Set())) continue;
        const owned = slot === 3 ? lineage(h.doc[3]) : h.doc[2];
        for (const i of owned) counts.set(i, (counts.get(i) || 0) + 1);
      }
      const fieldset = document.createElement("fieldset");
      const caption = document.createElement("legend");
      caption.textContent = legend;
      fieldset.append(caption);
      values.forEach(([value, label], i) => {
        const count = counts.get(i) || 0;
        if (!count && !mine.has(value)) return;
        const box = document.createElement("input");
        box.type = "checkbox"; box.name = name; box.value = value; box.checked = mine.has(value);
        box.addEventListener("change", run);
        const text = document.createElement("label");
        text.append(box, ` ${label} `);
        const n = document.createElement("span");
        n.className = "count"; n.textContent = `(${count})`;
        text.append(n);
        fieldset.append(text);
      });
      return fieldset;
    });
    facets.replaceChildren(...fieldsets.filter((f) => f.children.length > 1));
  }

  function updateUrl(query, topics, families) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    topics.forEach((t) => params.append("topic", t));
    families.forEach((f) => params.append("family", f));
    const url = location.pathname + (params.toString() ? "?" + params : "");
    history.replaceState(null, "", url);
  }

  function restore() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    const chosen = (name) => params.getAll(name).map((v) => [name, v]);
    // Facet boxes do not exist yet: draw hidden ones for the chosen values, then search.
    for (const [name, value] of [...chosen("topic"), ...chosen("family")]) {
      const box = document.createElement("input");
      box.type = "checkbox"; box.name = name; box.value = value; box.checked = true; box.hidden = true;
      facets.append(box);
    }
  }

  async function start() {
    status.textContent = "Loading the search index…";
    try {
      const response = await fetch(results.dataset.index);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      data = await response.json();
      performance.mark("search-data");
      const names = data.modelNames;
      models = names.length ? new RegExp(modelPattern(names, true), "gu") : null;
      // Words of a title to highlight; a model name with its version counts as one word.
      segments = new RegExp((names.length ? modelPattern(names, false) + "|" : "") + "[\\p{L}\\p{N}]+", "giu");
      const { serialized, holders } = unpack(data.index);
      performance.mark("search-unpacked");
      index = lunr.Index.load(serialized);
      index.invertedIndex = lazyPostings(data.index, holders);
    } catch (error) {
      status.textContent = "Search is unavailable right now (" + error.message + "). Browse by topic or family instead.";
      return;
    }
    restore();
    input.addEventListener("input", run);
    input.form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    // For people and tests who want to look inside: the loaded lunr index and the pipeline.
    window.paperSearch = { index: () => index, tokens, search };
    document.documentElement.dataset.searchReady = "true";
    performance.mark("search-ready");
    run();
  }

  start();
})();
