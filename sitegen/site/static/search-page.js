// The search page: the query box, facets and results, over search-index.js's index.
// The build serves lunr.js, search-index.js and this file as one script, static/search.js.
// Every value shown comes from data: it is placed with text nodes, never as HTML.
// `data` is search/index.json: tables of named columns (sitegen/schemas/search-index.schema.json).
(function () {
  "use strict";
  const results = document.getElementById("search-results");
  const input = document.getElementById("search-query");
  const status = document.getElementById("search-status");
  const facets = document.getElementById("search-facets");
  const order = document.getElementById("search-sort");  // relevance, newest or oldest first
  if (!results || !input || !status || !facets || !order || typeof lunr === "undefined" ||
    typeof PaperIndex === "undefined") return;
  const base = results.dataset.base;
  const PAGE = 50;  // results drawn at once
  const SHOWN = 80;  // characters of the query that the status and the title repeat
  const more = document.getElementById("search-more");
  const filterPanel = document.getElementById("search-filters");
  const toggle = document.getElementById("filters-toggle");
  const active = document.getElementById("filters-active");
  const clear = document.getElementById("filters-clear");
  const pageTitle = document.title;  // "Search · <site title>"; a query goes before it
  let engine, data, years, latest = 0;
  let graphemes;  // one segmenter for the page: the first one made loads its data (~20 ms)
  let ignored = [];  // filters of the opened URL that name no topic or family: not applied
  // A task boundary: the page's start-up (the index, the first search and drawing its
  // results) is cut into short tasks, so that a tap or a key press never waits behind all
  // of it while the page loads. Later searches run straight through: they are quick, and
  // each hop would add to the time a result takes to show.
  const nextTask = () => new Promise((resolve) => setTimeout(resolve));
  const whenIdle = (then) => (window.requestIdleCallback || setTimeout)(then);
  let loading = true;  // until the first search's results are drawn
  // The query and order the page was opened with show at once, before the index is there:
  // what the reader types or chooses meanwhile is theirs, and the first search runs it.
  const opened = new URLSearchParams(location.search);
  if (!input.value) input.value = opened.get("q") || "";
  chooseOrder(opened);
  window.addEventListener("popstate", revisit);

  // The order named in the address, if it is one; relevance otherwise.
  function chooseOrder(params) {
    const sort = params.get("sort");
    if ([...order.options].some((o) => o.value === sort)) order.value = sort;
    else {
      order.value = "relevance";
      if (sort !== null) ignored.push(`sort “${sort}”`);
    }
  }

  function selected(name) {
    return new Set([...facets.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value));
  }

  // A paper's families with their parents (filtering by LLaMA includes Llama 2 papers),
  // worked out once per paper.
  const lineages = [];
  function lineage(doc) {
    if (!lineages[doc]) {
      const all = new Set();
      for (let i of data.documents.families[doc]) {
        while (i >= 0 && !all.has(i)) { all.add(i); i = data.families.parent[i]; }
      }
      lineages[doc] = [...all];
    }
    return lineages[doc];
  }

  // The year facet's values as a table like `topics`: the years of `published`, newest
  // first, then "none" for papers without a date; and each document's row in it.
  function yearTable(published) {
    const found = [...new Set(published.filter((d) => d).map((d) => Math.floor(d / 10000)))];
    const id = found.sort((a, b) => b - a).map(String);
    if (published.includes(0)) id.push("none");
    const row = new Map(id.map((y, i) => [y, i]));
    const rows = published.map((d) => row.get(d ? String(Math.floor(d / 10000)) : "none"));
    return { id, name: id.map((y) => (y === "none" ? "no date" : y)), rows };
  }

  // The filter groups: their name in the URL and the form, their legend, their table of
  // values, and the rows of a document's values in it.
  const GROUPS = [
    ["topic", "Topic", () => data.topics, (doc) => data.documents.topics[doc]],
    ["family", "Model family", () => data.families, lineage],
    ["year", "Year", () => years, (doc) => [years.rows[doc]]],
  ];

  // OR within a group, AND across groups; `chosen` holds each group's row numbers. The
  // group numbered `skip` is left out (a facet's counts ignore its own choices).
  function passes(doc, chosen, skip = -1) {
    return GROUPS.every(([, , , owned], k) =>
      k === skip || !chosen[k].size || owned(doc).some((i) => chosen[k].has(i)));
  }

  // Newest or oldest first by `published`; papers without a date last, and papers of one
  // date in the order of relevance (the sort is stable).
  function sorted(hits, sort) {
    if (sort === "relevance") return hits;
    const date = data.documents.published, sign = sort === "newest" ? -1 : 1;
    return hits.slice().sort((a, b) => (!date[a.doc] || !date[b.doc])
      ? (date[a.doc] ? 0 : 1) - (date[b.doc] ? 0 : 1)
      : sign * (date[a.doc] - date[b.doc]));
  }

  // The row numbers of the named values in a table (topics or families).
  function numbers(table, names) {
    const number = new Map(table.id.map((name, i) => [name, i]));
    return new Set([...names].filter((n) => number.has(n)).map((n) => number.get(n)));
  }

  // Results are drawn for the latest query only; #search-results is aria-busy until then,
  // and says "search-done" when they are drawn. `how` the query came: "live" (typed, or a
  // filter or the order changed), "submit" (Enter) or "restore" (the address's own query).
  async function run(how = "live") {
    const query = input.value.trim();
    const names = GROUPS.map(([name]) => selected(name));
    const filters = names.reduce((n, set) => n + set.size, 0);
    const mine = ++latest;
    results.setAttribute("aria-busy", "true");
    let outcome;
    try {
      if (query) outcome = await engine.search(query, () => mine !== latest);
      else if (filters) outcome = { hits: data.documents.id.map((_, doc) => ({ doc })), terms: new Set() };
      else outcome = { hits: [], terms: new Set() };
    } catch (error) {
      if (mine !== latest) return;
      status.textContent = `Search is unavailable right now (${error.message}). Try again, or browse by topic or family.`;
      results.removeAttribute("aria-busy");
      return;
    }
    if (loading) await nextTask();
    if (mine !== latest) return;
    const chosen = GROUPS.map(([, , table], k) => numbers(table(), names[k]));
    const shown = sorted(outcome.hits.filter((h) => passes(h.doc, chosen)), order.value);
    renderResults(shown, outcome.terms);
    if (loading) await nextTask();
    if (mine !== latest) return;
    loading = false;
    renderFacets(outcome.hits, chosen, names);
    showActive(filters);
    announce(query, shown.length, outcome, filters);
    updateUrl(query, names, order.value, how);
    document.title = query ? `${shortened(query)} · ${pageTitle}` : pageTitle;
    results.removeAttribute("aria-busy");
    results.dispatchEvent(new CustomEvent("search-done", { detail: { query } }));
  }

  // The query as the status and the title repeat it: a long one is cut between characters as
  // a reader sees them (grapheme clusters; code points where Intl.Segmenter is missing), never
  // inside an emoji.
  // A query of no more UTF-16 units than SHOWN has no more characters either: it is shown
  // whole, and the segmenter is not made for it.
  function shortened(query) {
    if (query.length <= SHOWN) return query;
    const split = segmenter();
    const characters = split ? [...split.segment(query)].map((c) => c.segment) : [...query];
    return characters.length > SHOWN ? characters.slice(0, SHOWN).join("") + "…" : query;
  }

  function segmenter() {
    graphemes ??= typeof Intl.Segmenter === "function"
      ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
    return graphemes;
  }

  // What the first query would pay for on its own, done while the reader has not typed
  // (`searched`: the searches begun when it was asked for; a query begun since does it all
  // itself, and is not held up): the text pipeline's patterns compiled and the query planner
  // run on a title the index holds, then the vocabulary sorted by length for typos
  // (`termsByLength`), each step in an idle moment of its own so that neither holds up a
  // tap. Nothing is fetched. The first search took 120 ms at 20,000 papers, 77-84 ms after
  // this.
  const WARM_UP = [
    () => window.PaperWords.plan(engine, engine.titles.find(Boolean) || ""),
    () => engine.termsByLength(),
  ];
  function warmUp(searched, step = 0) {
    if (latest !== searched) return;
    WARM_UP[step]();
    if (step + 1 < WARM_UP.length) whenIdle(() => warmUp(searched, step + 1));
    else performance.mark("search-warm");
  }

  function quoted(query) {
    return "“" + shortened(query) + "”";
  }

  function announce(query, count, outcome, filters) {
    let text = "";
    if (query && !engine.words(query).length) {
      text = `No searchable words in ${quoted(query)}: only letters and digits are searched`;
    } else if (query && outcome.words === 0) {
      text = `No words to search for in ${quoted(query)}: common words such as “the” are left out`;
    } else if (query || filters) {
      const noun = count === 1 ? "paper" : "papers";
      text = `${count} ${noun}` + (query ? ` for ${quoted(query)}` : "") + (filters ? " with the chosen filters" : "");
      if (outcome.partial) text += " (no paper has every word; showing papers with some of them)";
      if (outcome.truncated) text += ` (only the first ${outcome.words} words were searched)`;
    }
    if (ignored.length) {
      text += (text ? ". " : "") + `Unknown filters ignored: ${ignored.join(", ")}`;
      ignored = [];  // said once, for the page as it was opened
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

  // " (published 2023)", as lists of papers show it, for a date YYYYMMDD; none for 0.
  function publishedYear(date) {
    if (!date) return [];
    const text = String(date), span = document.createElement("span"), time = document.createElement("time");
    time.dateTime = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`;
    time.textContent = text.slice(0, 4);
    span.className = "year";
    span.append("(published ", time, ")");
    return [" ", span];
  }

  function resultItem(hit, terms) {
    const { id, title, topics, families, published } = data.documents;
    const doc = hit.doc;
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = base + "papers/" + encodeURIComponent(id[doc]) + "/";
    a.className = "paper-title";
    a.append(highlighted(title[doc], terms));
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [...families[doc].map((i) => data.families.name[i]),
      ...topics[doc].map((i) => data.topics.name[i])].join(" · ");
    li.append(a, ...publishedYear(published[doc]), meta);
    return li;
  }

  // The first PAGE results at once; the rest on request, so long lists stay instant.
  // Title words whose term the query asked for are marked: the paper has them, so they matched.
  function renderResults(hits, terms) {
    results.replaceChildren(...hits.slice(0, PAGE).map((hit) => resultItem(hit, terms)));
    more.hidden = hits.length <= PAGE;
    more.textContent = `Show all ${hits.length} papers`;
    more.onclick = () => {
      results.append(...hits.slice(PAGE).map((hit) => resultItem(hit, terms)));
      more.hidden = true;
      results.children[PAGE].querySelector("a").focus();
    };
  }

  // Each value's count is of the papers that the other group's filters let through.
  function renderFacets(hits, chosen, names) {
    const fieldsets = GROUPS.map(([name, legend, table, owned], k) => {
      const values = table(), mine = names[k];
      const counts = new Uint32Array(values.id.length);
      for (const h of hits) {
        if (passes(h.doc, chosen, k)) for (const i of owned(h.doc)) counts[i]++;
      }
      const fieldset = document.createElement("fieldset");
      const caption = document.createElement("legend");
      caption.textContent = legend;
      fieldset.append(caption);
      values.id.forEach((value, i) => {
        const label = values.name[i], count = counts[i];
        if (!count && !mine.has(value)) return;
        const box = document.createElement("input");
        box.type = "checkbox"; box.name = name; box.value = value; box.checked = mine.has(value);
        box.addEventListener("change", () => run());
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

  // The filters' panel: open beside the results on a wide screen, closed under the query
  // on a narrow one (results first). Its button says how many filters are on; one tap on
  // "Clear filters" turns them all off.
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", String(open));
    filterPanel.classList.toggle("open", open);
  }

  function showActive(count) {
    active.textContent = count ? ` · ${count} active` : "";
    clear.hidden = !count;
  }

  function panel() {
    setOpen(matchMedia("(min-width: 40.01rem)").matches);
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    clear.addEventListener("click", () => {
      facets.querySelectorAll("input:checked").forEach((box) => { box.checked = false; });
      run();
      toggle.focus();  // the button just used is hidden now
    });
  }

  // "Skip to results" moves the focus to the first result (the list itself when it is
  // empty), past the filters.
  function skipToResults(event) {
    event.preventDefault();
    const first = results.querySelector("a");
    if (first) first.focus();
    else { results.tabIndex = -1; results.focus(); }
  }

  // The address says what is shown. A query submitted (Enter) is a history entry of its own;
  // typing, a filter or the order write the entry being typed, which is a new one after a
  // submitted query (marked `draft` until submitted), so Back goes to each query searched.
  function updateUrl(query, names, sort, how) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    GROUPS.forEach(([name], k) => names[k].forEach((value) => params.append(name, value)));
    if (sort !== "relevance") params.set("sort", sort);
    const url = location.pathname + (params.toString() ? "?" + params : "");
    const here = location.pathname + location.search, draft = history.state?.draft === true;
    const state = how === "submit" ? null : history.state;
    if (draft || how === "restore" || url === here) {
      // (an entry written needlessly would cancel a Back the reader has just asked for)
      if (url !== here || state !== history.state) history.replaceState(state, "", url);
    } else {
      history.pushState(how === "submit" ? null : { draft: true }, "", url);
    }
  }

  // Back or Forward: the query, order and filters of that address, searched again (or by
  // the first search, when the index is still on its way).
  function revisit() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    chooseOrder(params);
    if (!years) return;
    restore(params);
    run("restore");
  }

  // The filters an address names (the one the page was opened with, or one gone back to),
  // once the index says which topics and families exist.
  function restore(params) {
    const known = Object.fromEntries(GROUPS.map(([name, , table]) => [name, new Set(table().id)]));
    const boxes = [...facets.querySelectorAll("input")];
    for (const box of boxes) box.checked = params.getAll(box.name).includes(box.value);
    const drawn = (name, value) => boxes.some((box) => box.name === name && box.value === value);
    // Boxes not drawn (none are before the first search): hidden ones for the chosen values,
    // then search (which writes the URL again, without the values that name nothing).
    for (const [name, value] of GROUPS.flatMap(([name]) => params.getAll(name).map((v) => [name, v]))) {
      if (drawn(name, value)) continue;
      if (!known[name].has(value)) {
        ignored.push(`${name} “${value}”`);
        continue;
      }
      const box = document.createElement("input");
      box.type = "checkbox"; box.name = name; box.value = value; box.checked = true; box.hidden = true;
      facets.append(box);
    }
  }

  async function start() {
    panel();
    document.getElementById("skip-to-results")?.addEventListener("click", skipToResults);
    status.textContent = "Loading the search index…";
    try {
      const response = await fetch(results.dataset.index);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      data = await response.json();
      performance.mark("search-data");
      await nextTask();
      engine = new PaperIndex(data, results.dataset.index);
      performance.mark("search-unpacked");
    } catch (error) {
      status.textContent = "Search is unavailable right now (" + error.message + "). Browse by topic or family instead.";
      return;
    }
    await nextTask();
    years = yearTable(data.documents.published);
    restore(new URLSearchParams(location.search));
    input.addEventListener("input", () => run());
    order.addEventListener("change", () => run());
    input.form.addEventListener("submit", (event) => { event.preventDefault(); run("submit"); });
    // For people and tests who want to look inside: the index, its text pipeline, its search,
    // and the whole index as one lunr.Index (which fetches every shard).
    window.paperSearch = { engine, tokens: (text) => engine.tokens(text),
      search: (q) => engine.search(q), lunrIndex: () => engine.lunrIndex() };
    await nextTask();
    document.documentElement.dataset.searchReady = "true";  // with the first search begun
    performance.mark("search-ready");
    run("restore");
    const searched = latest;
    whenIdle(() => warmUp(searched));
  }

  // The index is asked for once the page's first paint is on screen (or after a second, in
  // a browser that does not say when it paints, or a tab that is not shown): the page's own
  // files come first on a slow network, and the query box and the room kept for results
  // show at once, never held back by the index's download or its work.
  function afterFirstPaint(then) {
    let started = false;
    const once = () => { if (!started) { started = true; setTimeout(then); } };
    setTimeout(once, 1000);
    try {
      const seen = new PerformanceObserver((list) => {
        if (list.getEntriesByName("first-contentful-paint").length) { seen.disconnect(); once(); }
      });
      seen.observe({ type: "paint", buffered: true });
    } catch {
      requestAnimationFrame(once);
    }
  }
  afterFirstPaint(start);
})();
