"""The search index: text analysis shared with the browser, postings and the files the
search page loads."""
