// Where the words of a query stand together in the papers (search-rank.js uses it): which
// documents hold a term of each group one right after another, in a title or an abstract,
// and how many times, from the positions in search-index.js's shards. The documents of the
// group that the fewest hold are visited in ascending order, and the other groups' postings
// are walked with cursors that only move forward, galloping over long runs.
(function () {
  "use strict";

  // A group's terms as the j-th positioned field holds them: documents, positions, and a
  // cursor that only moves forward, as documents are visited in ascending order; `held`
  // lists the terms that hold the document being looked at (the first `size` of them).
  function located(engine, group, j) {
    const slot = engine.positioned[j];
    const terms = [...group].map((i) => ({ documents: engine.postings(i)[slot][0],
      ...engine.places(i, j), cursor: 0, k: 0 })).filter((term) => term.documents.length);
    return { terms, held: new Array(terms.length), size: 0 };
  }

  // The first place from `from` on whose document is not below `doc`: galloping, so that a
  // long list costs little when few of its documents are asked for.
  function seek(documents, from, doc) {
    if (from >= documents.length || documents[from] >= doc) return from;
    let low = from, high = from + 1, step = 1;  // documents[low] < doc all along
    while (high < documents.length && documents[high] < doc) {
      low = high;
      step *= 2;
      high = low + step;
    }
    high = Math.min(high, documents.length);
    while (low + 1 < high) {
      const middle = (low + high) >>> 1;
      if (documents[middle] < doc) low = middle; else high = middle;
    }
    return high;
  }

  // Finds the group's terms that `doc` holds; false if none.
  function holding(group, doc) {
    group.size = 0;
    for (const term of group.terms) {
      term.k = term.cursor = seek(term.documents, term.cursor, doc);
      if (term.documents[term.k] === doc) group.held[group.size++] = term;
    }
    return group.size > 0;
  }

  // Whether a held term of the group stands at position p (positions ascend in a run).
  function standsAt(group, p) {
    for (let r = 0; r < group.size; r++) {
      const { flat, offsets, k } = group.held[r];
      for (let x = offsets[k]; x < offsets[k + 1] && flat[x] <= p; x++) if (flat[x] === p) return true;
    }
    return false;
  }

  // How many times the groups' terms stand in sequence in one document: a term of groups[0]
  // at p, one of groups[1] at p + 1, and so on.
  function together(groups, doc) {
    for (const group of groups) if (!holding(group, doc)) return 0;
    let times = 0;
    const first = groups[0];
    for (let r = 0; r < first.size; r++) {
      const { flat, offsets, k } = first.held[r];
      for (let x = offsets[k]; x < offsets[k + 1]; x++) {
        let g = 1;
        while (g < groups.length && standsAt(groups[g], flat[x] + g)) g++;
        if (g === groups.length) times++;
      }
    }
    return times;
  }

  // The documents holding any of the group's terms, ascending.
  function union(group) {
    if (group.terms.length === 1) return group.terms[0].documents;
    return Int32Array.from(new Set(group.terms.flatMap((term) => [...term.documents]))).sort();
  }

  // Per positioned field, the documents whose field holds the groups' terms one right after
  // another, with how many times; visiting the documents of the group the fewest hold.
  function sequence(engine, groups) {
    return engine.positioned.map((_, j) => {
      const found = new Map(), here = groups.map((group) => located(engine, group, j));
      if (here.some((group) => !group.terms.length)) return found;
      const sizes = here.map((g) => g.terms.reduce((n, t) => n + t.documents.length, 0));
      for (const doc of union(here[sizes.indexOf(Math.min(...sizes))])) {
        const times = together(here, doc);
        if (times) found.set(doc, times);
      }
      return found;
    });
  }

  window.PaperSequence = { sequence };
})();
