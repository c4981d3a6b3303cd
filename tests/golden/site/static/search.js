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
  let index, data, models, segments;

  // The text pipeline of sitegen/search.py, step for step.
  function fold(text) {
    return text.normalize("NFKD").replace(COMBINING, "").toLowerCase();
  }
  function term(word) {
    if (!word) return "";
    const kept = lunr.stopWordFilter(new lunr.Token(word));
    return kept ? lunr.stemmer(kept).toString() : "";
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

  // The index ships packed (terms, refs, field vectors); lunr's inverted index is implied.
  function unpack(packed) {
    const postings = packed.terms.map((text, i) => {
      const posting = { _index: i };
      for (const field of packed.fields) posting[field] = {};
      return [text, posting];
    });
    const fieldVectors = packed.vectors.map(([field, doc, elements]) => {
      const ref = doc.toString(36);
      for (let k = 0; k < elements.length; k += 2) postings[elements[k]][1][field][ref] = {};
      return [field + "/" + ref, elements];
    });
    postings.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { version: packed.version, fields: packed.fields, fieldVectors, invertedIndex: postings, pipeline: [] };
  }

  function expansions(word, last) {
    const found = new Set();
    const add = (set) => index.tokenSet.intersect(set).toArray().forEach((t) => found.add(t));
    add(lunr.TokenSet.fromString(word));
    if (word.length >= 2) add(lunr.TokenSet.fromString(word + "*"));
    if (word.length >= 5) add(lunr.TokenSet.fromFuzzyString(word, 1));
    if (last) {  // a word still being typed: its stem may be shorter than what is typed so far
      for (let k = word.length - 1; k >= Math.max(4, word.length - 4); k--) {
        add(lunr.TokenSet.fromString(word.slice(0, k)));
      }
    }
    return found;
  }

  // Every word must match (an exact, prefix or one-typo form of it); ranking is lunr's.
  function search(query) {
    const words = [...new Set(tokens(query))];
    if (!words.length) return { hits: [], partial: false };
    const groups = words.map((w, i) => expansions(w, i === words.length - 1));
    const all = new Set(groups.flatMap((g) => [...g]));
    if (!all.size) return { hits: [], partial: false };
    const exact = new Set(words);
    const found = index.query((q) => {
      for (const t of all) {
        q.term(t, { usePipeline: false, boost: exact.has(t) ? 10 : 1 });
      }
    });
    const scored = found.map((r) => {
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

  function renderResults(hits) {
    const items = hits.slice(0, 200).map((hit) => {
      const [id, title, topicIdx, familyIdx] = hit.doc;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = base + "papers/" + encodeURIComponent(id) + "/";
      a.className = "paper-title";
      a.append(highlighted(title, hit.matched));
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = [...familyIdx.map((i) => data.families[i][1]), ...topicIdx.map((i) => data.topics[i][1])].join(" · ");
      li.append(a, meta);
      return li;
    });
    results.replaceChildren(...items);
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
      const names = data.modelNames;
      models = names.length ? new RegExp(modelPattern(names, true), "gu") : null;
      // Words of a title to highlight; a model name with its version counts as one word.
      segments = new RegExp((names.length ? modelPattern(names, false) + "|" : "") + "[\\p{L}\\p{N}]+", "giu");
      index = lunr.Index.load(unpack(data.index));
    } catch (error) {
      status.textContent = "Search is unavailable right now (" + error.message + "). Browse by topic or family instead.";
      return;
    }
    restore();
    input.addEventListener("input", run);
    input.form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    // For people and tests who want to look inside: the loaded lunr index and the pipeline.
    window.paperSearch = { index: () => index, tokens };
    document.documentElement.dataset.searchReady = "true";
    run();
  }

  start();
})();
