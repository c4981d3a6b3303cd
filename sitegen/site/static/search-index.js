// The split search index that sitegen/search/files.py writes, read with lunr.js.
// search/index.json (loaded with the page) holds what results show, each document's field
// lengths, the sorted vocabulary and where each shard of postings starts;
// search/shards/<digest>.json hold the postings (how often each document holds a term) and the
// positions in titles and abstracts, fetched when a query needs one of their terms. Both are
// read by name, as sitegen/schemas/search-index.schema.json and search-shard.schema.json
// describe them. Words become terms with lunr.js's own pipeline; a term's postings become
// the field-vector scores lunr.js's Builder would give them, and terms are scored as
// lunr.Index.query scores them, from the postings of the query's own terms only: lunr's
// score is a dot product with the query vector, so no other term counts. What a query means
// (search-words.js) and how its papers rank (search-rank.js) build on this class.
(function () {
  "use strict";
  const COMBINING = /[\u0300-\u036f]/g;
  const WORD_SPLIT = /[^\p{L}\p{N}]+/u;
  const PREFIX = 3;  // shortest word that also matches as a prefix
  const NONE = Object.freeze({});  // lunr only copies posting metadata: one empty object
  const FORMAT = 6;  // the data layout this script reads: `format` in search/index.json

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
      this.boosts = head.boosts;
      this.bm25 = head.bm25;
      this.fieldLengths = head.lengths;  // per field, each document's number of terms
      this.averages = head.lengths.map((lengths) =>
        lengths.reduce((sum, length) => sum + length, 0) / lengths.length);
      this.positioned = head.positions.map((field) => this.fields.indexOf(field));
      this.count = head.documents.id.length;  // documents are numbered 0 to count - 1
      this.titles = head.documents.title;
      this.vocabulary = head.terms ? head.terms.split("\n") : [];
      this.starts = head.shards.start;
      this.files = head.shards.file;  // each shard's file, named by its contents
      this.indexUrl = new URL(indexUrl, location.href);
      this.shards = new Map();  // shard number -> promise of it being loaded
      this.loaded = new Map();  // shard number -> its entries, one per term
      this.decoded = new Map();  // term number -> per field [documents, scores]
      this.placed = new Map();  // term number -> per positioned field, its decoded positions
      this.lengths = null;  // term length -> term numbers (`termsByLength`)
      this.stems = new Map();  // word -> term; the stemmer is the costly step
      this.acronyms = new Map(Object.entries(head.acronyms));  // term -> long forms' terms
      const names = head.modelNames;
      this.models = names.length ? new RegExp(modelPattern(names, true), "gu") : null;
      // Words of a title to highlight; a model name with its version counts as one word.
      this.segments = new RegExp((names.length ? modelPattern(names, false) + "|" : "") +
        "[\\p{L}\\p{N}]+", "giu");
    }

    // The text pipeline of sitegen/search/analysis.py, step for step.
    term(word) {
      if (!word) return "";
      let term = this.stems.get(word);
      if (term === undefined) {
        const kept = lunr.stopWordFilter(new lunr.Token(word));
        term = kept ? lunr.stemmer(kept).toString() : "";
        this.stems.set(word, term);
      }
      return term;
    }

    // A text's words, folded, with model names joined to their version, before stemming.
    words(text) {
      let folded = text.normalize("NFKD").replace(COMBINING, "").toLowerCase();
      if (this.models) folded = folded.replace(this.models, "$1$2");
      return folded.split(WORD_SPLIT).filter(Boolean);
    }

    tokens(text) {
      return this.words(text).map((w) => this.term(w)).filter(Boolean);
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
      if (word.length >= PREFIX) this.prefixed(word).forEach((i) => found.add(i));
      if (word.length >= 5 && !/[0-9]/.test(word)) this.typos(word).forEach((i) => found.add(i));
      if (last && !found.size) {  // a word still being typed, whose stem is shorter than it
        for (let k = word.length - 1; k >= Math.max(4, word.length - 4); k--) {
          const i = this.number(word.slice(0, k));
          if (i >= 0) found.add(i);
        }
      }
      return found;
    }

    // The long forms of an acronym the catalogue defines ("cot": "chain of thought"), each
    // as the term numbers that must stand in sequence; those with a term no paper holds left
    // out (sitegen/search/acronyms.py).
    spelledOut(term) {
      return (this.acronyms.get(term) || []).map((terms) => terms.map((t) => this.number(t)))
        .filter((numbers) => numbers.every((i) => i >= 0));
    }

    // The terms that begin with `word` (itself included).
    prefixed(word) {
      const found = [];
      for (let i = lowerBound(this.vocabulary, word); this.vocabulary[i]?.startsWith(word); i++) found.push(i);
      return found;
    }

    typos(word) {
      const lengths = this.termsByLength(), found = [];
      for (let length = word.length - 1; length <= word.length + 1; length++) {
        for (const i of lengths.get(length) || []) {
          if (oneEditApart(word, this.vocabulary[i])) found.push(i);
        }
      }
      return found;
    }

    // The term numbers by the term's length, made the first time they are needed.
    termsByLength() {
      if (!this.lengths) {
        this.lengths = new Map();
        this.vocabulary.forEach((term, i) => {
          const same = this.lengths.get(term.length);
          if (same) same.push(i); else this.lengths.set(term.length, [i]);
        });
      }
      return this.lengths;
    }

    shardOf(i) {
      return lowerBound(this.starts, i + 1) - 1;
    }

    // Fetch (once) every shard holding one of these term numbers.
    load(numbers) {
      const wanted = new Set([...numbers].map((i) => this.shardOf(i)));
      return Promise.all([...wanted].map((k) => {
        if (!this.shards.has(k)) {
          const url = new URL(`shards/${this.files[k]}.json`, this.indexUrl);
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
    // their scores, as lunr.Builder's createFieldVectors computes them from the counts:
    // idf * (k1 + 1) * tf / (k1 * (1 - b + b * length / average) + tf) * boost, in thousandths.
    postings(i) {
      let found = this.decoded.get(i);
      if (!found) {
        const flats = this.entry(i).slice(0, this.fields.length);
        const holders = flats.reduce((sum, flat) => sum + flat.length / 2, 0);
        const idf = this.idf(holders), { k1, b } = this.bm25;
        found = flats.map((flat, slot) => {
          const documents = [], scores = [], boost = this.boosts[slot];
          const lengths = this.fieldLengths[slot], average = this.averages[slot];
          for (let j = 0, doc = 0; j < flat.length; j += 2) {
            doc += flat[j];
            const tf = flat[j + 1];
            let score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[doc] / average)) + tf);
            score *= boost;
            documents.push(doc);
            scores.push(Math.round(score * 1000) / 1000);
          }
          return [documents, scores];
        });
        this.decoded.set(i, found);
      }
      return found;
    }

    // lunr.idf: a document counts once for each field holding the term.
    idf(holders) {
      const x = (this.count - holders + 0.5) / (holders + 0.5);
      return Math.log(1 + Math.abs(x));
    }

    entry(i) {
      const k = this.shardOf(i);
      return this.loaded.get(k)[i - this.starts[k]];
    }

    // Where a term stands in the j-th positioned field: the k-th document of that field's
    // postings holds it at positions flat[offsets[k]] to flat[offsets[k + 1]] (ascending).
    places(i, j) {
      let found = this.placed.get(i);
      if (!found) this.placed.set(i, found = []);
      if (!found[j]) {
        const runs = this.entry(i)[this.fields.length + j];
        const count = this.postings(i)[this.positioned[j]][0].length;
        const offsets = new Int32Array(count + 1), flat = new Int32Array(runs.length - count);
        for (let r = 0, k = 0, n = 0; k < count; k++) {
          const times = runs[r++];
          offsets[k] = n;
          for (let t = 0, at = 0; t < times; t++) flat[n++] = at += runs[r++];
          offsets[k + 1] = n;
        }
        found[j] = { offsets, flat };
      }
      return found[j];
    }

    // The papers holding any of these (loaded) terms, in any field.
    papersWith(numbers) {
      const papers = new Set();
      for (const i of numbers) {
        for (const [documents] of this.postings(i)) documents.forEach((d) => papers.add(d));
      }
      return papers;
    }

    // lunr.Index.query's score for term clauses (term number -> boost), summed over postings,
    // for every paper (0 where no term is), and the papers holding a term (`touched`).
    // lunr scores a field by the dot product of the query vector (each term's boost) with the
    // field vector, over the query vector's length, and adds up the fields; lunr itself does
    // it with objects made per matching field (FieldRef, MatchData, lunr.Set), which took
    // most of a second for broad queries over 50,000 papers.
    scores(boosts) {
      const length = Math.sqrt([...boosts.values()].reduce((sum, b) => sum + b * b, 0));
      const score = new Float64Array(this.count), seen = new Uint8Array(this.count), touched = [];
      for (const [i, boost] of boosts) {
        for (const [documents, scores] of this.postings(i)) {
          for (let k = 0; k < documents.length; k++) {
            const doc = documents[k];
            if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
            score[doc] += boost * scores[k] / length;
          }
        }
      }
      return { score, touched };
    }

    // The papers holding a term, best first by `scores`; ties go to the older paper.
    rank(boosts) {
      const { score, touched } = this.scores(boosts);
      return touched.map((doc) => ({ doc, score: score[doc] }))
        .sort((a, b) => b.score - a.score || a.doc - b.doc);
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

    // The query's hits, best first (search-rank.js); null when `stale()` says a newer
    // query has come meanwhile.
    search(query, stale = () => false) {
      return window.PaperSearch.search(this, query, stale);
    }
  }

  window.PaperIndex = PaperIndex;
})();
