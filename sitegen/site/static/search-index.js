// The split search index that sitegen/search/files.py writes, searched with lunr.js.
// search/index.json (loaded with the page) holds what results show, the sorted vocabulary
// and where each shard of postings starts; search/shards/N.json hold the postings, fetched
// when a query needs one of their terms. Both are read by name, as
// sitegen/schemas/search-index.schema.json and search-shard.schema.json describe them. Words become terms with lunr.js's own pipeline, and
// each query is scored as lunr.Index.query scores it, from the postings of its own terms
// only: lunr's score is a dot product with the query vector, so no other term counts.
(function () {
  "use strict";
  const COMBINING = /[\u0300-\u036f]/g;
  const WORD_SPLIT = /[^\p{L}\p{N}]+/u;
  const COMMON = 0.2;  // a word in this share of papers or more does not have to match
  const PREFIX = 3;  // shortest word that also matches as a prefix
  const NONE = Object.freeze({});  // lunr only copies posting metadata: one empty object
  const FORMAT = 2;  // the data layout this script reads: `format` in search/index.json

  // A model name, an optional separator and a version ("Llama-3.1" -> llama, 3).
  function modelPattern(names, capture) {
    const sorted = names.slice().sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    const open = capture ? "(" : "(?:";
    return "(?<![\\p{L}\\p{N}])" + open + sorted.join("|") + ")[\\s_\\u2010-\\u2015-]*v?" + open +
      "[0-9]+)(?:\\.[0-9]+)*(?![\\p{L}\\p{N}])";
  }

  // The first position in the sorted `list` whose value is not below `value`.
  function lowerBound(list, value) {
    let low = 0, high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[middle] < value) low = middle + 1; else high = middle;
    }
    return low;
  }

  // Equal, or one edit apart: a letter inserted, deleted or changed, or two neighbours swapped.
  function oneEditApart(a, b) {
    if (a.length > b.length) [a, b] = [b, a];
    if (b.length - a.length > 1) return false;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length < b.length) return a.slice(i) === b.slice(i + 1);
    if (i === a.length || a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }

  class PaperIndex {
    constructor(head, indexUrl) {
      if (head.format !== FORMAT) {
        throw new Error(`search data of format ${head.format}, not ${FORMAT}`);
      }
      this.fields = head.fields;
      this.count = head.documents.id.length;  // documents are numbered 0 to count - 1
      this.vocabulary = head.terms ? head.terms.split("\n") : [];
      this.starts = head.shards;
      this.indexUrl = new URL(indexUrl, location.href);
      this.shards = new Map();  // shard number -> promise of it being loaded
      this.loaded = new Map();  // shard number -> its entries, one per term
      this.decoded = new Map();  // term number -> per field [documents, scores]
      this.lengths = null;  // term length -> term numbers, made for the first typo search
      this.words = new Map();  // word -> term; the stemmer is the costly step
      const names = head.modelNames;
      this.models = names.length ? new RegExp(modelPattern(names, true), "gu") : null;
      // Words of a title to highlight; a model name with its version counts as one word.
      this.segments = new RegExp((names.length ? modelPattern(names, false) + "|" : "") +
        "[\\p{L}\\p{N}]+", "giu");
    }

    // The text pipeline of sitegen/search/analysis.py, step for step.
    term(word) {
      if (!word) return "";
      let term = this.words.get(word);
      if (term === undefined) {
        const kept = lunr.stopWordFilter(new lunr.Token(word));
        term = kept ? lunr.stemmer(kept).toString() : "";
        this.words.set(word, term);
      }
      return term;
    }

    tokens(text) {
      let folded = text.normalize("NFKD").replace(COMBINING, "").toLowerCase();
      if (this.models) folded = folded.replace(this.models, "$1$2");
      return folded.split(WORD_SPLIT).map((w) => this.term(w)).filter(Boolean);
    }

    number(term) {
      const i = lowerBound(this.vocabulary, term);
      return this.vocabulary[i] === term ? i : -1;
    }

    // An exact, prefix or one-typo form of a word; a version ("llama2") is nobody's typo.
    // Prefixes count from three letters: "co" begins thousands of terms in a large catalogue.
    expansions(word, last) {
      const found = new Set();
      const exact = this.number(word);
      if (exact >= 0) found.add(exact);
      if (word.length >= PREFIX) {
        for (let i = lowerBound(this.vocabulary, word); this.vocabulary[i]?.startsWith(word); i++) found.add(i);
      }
      if (word.length >= 5 && !/[0-9]/.test(word)) this.typos(word).forEach((i) => found.add(i));
      if (last && !found.size) {  // a word still being typed, whose stem is shorter than it
        for (let k = word.length - 1; k >= Math.max(4, word.length - 4); k--) {
          const i = this.number(word.slice(0, k));
          if (i >= 0) found.add(i);
        }
      }
      return found;
    }

    typos(word) {
      if (!this.lengths) {
        this.lengths = new Map();
        this.vocabulary.forEach((term, i) => {
          const same = this.lengths.get(term.length);
          if (same) same.push(i); else this.lengths.set(term.length, [i]);
        });
      }
      const found = [];
      for (let length = word.length - 1; length <= word.length + 1; length++) {
        for (const i of this.lengths.get(length) || []) {
          if (oneEditApart(word, this.vocabulary[i])) found.push(i);
        }
      }
      return found;
    }

    shardOf(i) {
      return lowerBound(this.starts, i + 1) - 1;
    }

    // Fetch (once) every shard holding one of these term numbers.
    load(numbers) {
      const wanted = new Set([...numbers].map((i) => this.shardOf(i)));
      return Promise.all([...wanted].map((k) => {
        if (!this.shards.has(k)) {
          const url = new URL(`shards/${k}.json`, this.indexUrl);
          url.search = this.indexUrl.search;
          this.shards.set(k, fetch(url).then((response) => {
            if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.pathname}`);
            return response.json();
          }).then((entries) => { this.loaded.set(k, entries); }, (error) => {
            this.shards.delete(k);  // the next query tries again
            throw error;
          }));
        }
        return this.shards.get(k);
      }));
    }

    // A term's postings, once its shard is loaded: per field, the documents (ascending) and
    // lunr's scores (shipped as thousandths, which is all lunr keeps of them).
    postings(i) {
      let found = this.decoded.get(i);
      if (!found) {
        const k = this.shardOf(i);
        found = this.loaded.get(k)[i - this.starts[k]].map((flat) => {
          const documents = [], scores = [];
          for (let j = 0, doc = 0; j < flat.length; j += 2) {
            doc += flat[j];
            documents.push(doc);
            scores.push(flat[j + 1] / 1000);
          }
          return [documents, scores];
        });
        this.decoded.set(i, found);
      }
      return found;
    }

    // The papers holding any of these (loaded) terms, in any field.
    papersWith(numbers) {
      const papers = new Set();
      for (const i of numbers) {
        for (const [documents] of this.postings(i)) documents.forEach((d) => papers.add(d));
      }
      return papers;
    }

    // lunr.Index.query's score for term clauses (term number -> boost), summed over postings.
    // lunr scores a field by the dot product of the query vector (each term's boost) with the
    // field vector, over the query vector's length, and adds up the fields; lunr itself does
    // it with objects made per matching field (FieldRef, MatchData, lunr.Set), which took
    // most of a second for broad queries over 50,000 papers. Ties go to the older paper.
    rank(boosts) {
      const length = Math.sqrt([...boosts.values()].reduce((sum, b) => sum + b * b, 0));
      const fields = this.fields.map(() => new Float64Array(this.count));
      const seen = new Uint8Array(this.count), touched = [];
      for (const [i, boost] of boosts) {
        this.postings(i).forEach(([documents, scores], slot) => {
          const dot = fields[slot];
          for (let k = 0; k < documents.length; k++) {
            const doc = documents[k];
            dot[doc] += boost * scores[k];
            if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
          }
        });
      }
      const ranked = touched.map((doc) => {
        let score = 0;
        for (const dot of fields) score += dot[doc] / length;
        return { doc, score };
      });
      return ranked.sort((a, b) => b.score - a.score || a.doc - b.doc);
    }

    // A lunr.Index over the given terms (every term when none are given), as lunr's own
    // Builder would have made it, minus the other terms' entries.
    async lunrIndex(numbers = this.vocabulary.keys()) {
      const sorted = [...numbers].sort((a, b) => a - b);
      await this.load(sorted);
      const invertedIndex = Object.create(null), elements = new Map();
      for (const i of sorted) {
        const posting = { _index: i };
        this.postings(i).forEach(([documents, scores], slot) => {
          const field = this.fields[slot], holders = posting[field] = {};
          documents.forEach((doc, k) => {
            const ref = doc.toString(36), key = field + "/" + ref;
            holders[ref] = NONE;
            const vector = elements.get(key);
            if (vector) vector.push(i, scores[k]); else elements.set(key, [i, scores[k]]);
          });
        });
        invertedIndex[this.vocabulary[i]] = posting;
      }
      const fieldVectors = Object.create(null);
      for (const [key, vector] of elements) fieldVectors[key] = new lunr.Vector(vector);
      const tokenSet = lunr.TokenSet.fromArray(sorted.map((i) => this.vocabulary[i]));
      return new lunr.Index({ invertedIndex, fieldVectors, tokenSet, fields: this.fields,
        pipeline: new lunr.Pipeline() });
    }

    // Every word must match (an exact, prefix or one-typo form of it), except words found in
    // a fifth of all papers or more ("paper", "model"), which only rank. A form typed exactly
    // weighs ten times more. Hits come best first, with the terms that matched (to highlight).
    // `stale()` says when a newer query has come: then the work stops and null is returned.
    async search(query, stale = () => false) {
      const words = [...new Set(this.tokens(query))];
      const found = words.map((w, i) => this.expansions(w, i === words.length - 1));
      const terms = new Set(found.flatMap((g) => [...g]));
      if (!terms.size) return { hits: [], partial: false, terms: new Set() };
      await this.load(terms);
      if (stale()) return null;
      const holding = found.map((g) => this.papersWith(g));
      const common = holding.map((papers) => papers.size >= COMMON * this.count);
      const required = common.every(Boolean) ? holding : holding.filter((_, i) => !common[i]);
      const covered = new Uint16Array(this.count);
      for (const papers of required) papers.forEach((doc) => covered[doc]++);
      const exact = new Set(words);
      const boosts = new Map([...terms].map((i) => [i, exact.has(this.vocabulary[i]) ? 10 : 1]));
      const ranked = this.rank(boosts);
      const named = new Set([...terms].map((i) => this.vocabulary[i]));
      const complete = ranked.filter((hit) => covered[hit.doc] === required.length);
      if (complete.length || required.length === 1) {
        return { hits: complete, partial: false, terms: named };
      }
      ranked.sort((a, b) => covered[b.doc] - covered[a.doc] || b.score - a.score || a.doc - b.doc);
      return { hits: ranked, partial: true, terms: named };
    }
  }

  window.PaperIndex = PaperIndex;
})();
