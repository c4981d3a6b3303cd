// The search page: the query box, facets and results, over search-index.js's index.
// Every value shown comes from data: it is placed with text nodes, never as HTML.
(function () {
  "use strict";
  const results = document.getElementById("search-results");
  const input = document.getElementById("search-query");
  const status = document.getElementById("search-status");
  const facets = document.getElementById("search-facets");
  if (!results || !input || !status || !facets || typeof lunr === "undefined" ||
    typeof PaperIndex === "undefined") return;
  const base = results.dataset.base;
  const PAGE = 50;  // results drawn at once
  const more = document.getElementById("search-more");
  let engine, data, latest = 0;

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

  // Results are drawn for the latest query only; #search-results is aria-busy until then,
  // and says "search-done" when they are drawn.
  async function run() {
    const query = input.value.trim();
    const topics = selected("topic"), families = selected("family");
    const mine = ++latest;
    results.setAttribute("aria-busy", "true");
    let outcome;
    try {
      if (query) outcome = await engine.search(query);
      else if (topics.size || families.size) outcome = { hits: data.documents.map((_, i) => ({ ref: i.toString(36), matched: new Set() })), partial: false };
      else outcome = { hits: [], partial: false };
    } catch (error) {
      if (mine !== latest) return;
      status.textContent = `Search is unavailable right now (${error.message}). Try again, or browse by topic or family.`;
      results.removeAttribute("aria-busy");
      return;
    }
    if (mine !== latest) return;
    const hits = outcome.hits.map((h) => ({ ...h, doc: data.documents[parseInt(h.ref, 36)] }));
    const shown = hits.filter((h) => passes(h.doc, topics, families));
    renderFacets(hits, topics, families);
    renderResults(shown);
    announce(query, shown.length, outcome.partial, topics.size + families.size);
    updateUrl(query, topics, families);
    results.removeAttribute("aria-busy");
    results.dispatchEvent(new CustomEvent("search-done", { detail: { query } }));
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
    for (const m of title.matchAll(engine.segments)) {
      if (m.index > last) fragment.append(title.slice(last, m.index));
      const hit = engine.tokens(m[0]).some((t) => matched.has(t));
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
      engine = new PaperIndex(data, results.dataset.index);
      performance.mark("search-unpacked");
    } catch (error) {
      status.textContent = "Search is unavailable right now (" + error.message + "). Browse by topic or family instead.";
      return;
    }
    restore();
    input.addEventListener("input", run);
    input.form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    // For people and tests who want to look inside: the index, its text pipeline, its search,
    // and the whole index as one lunr.Index (which fetches every shard).
    window.paperSearch = { engine, tokens: (text) => engine.tokens(text),
      search: (q) => engine.search(q), lunrIndex: () => engine.lunrIndex() };
    document.documentElement.dataset.searchReady = "true";
    performance.mark("search-ready");
    run();
  }

  start();
})();
