"""The search index, in three steps: `analysis` (text to terms, as the browser's
search-index.js does it), `postings` (lunr's scores, term by term) and `files` (what the
search page loads, and the fingerprint that versions their URLs)."""
