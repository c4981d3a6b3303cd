"""Papers' identities from a public metadata service (`sitegen enrich`, `sitegen new --arxiv`).

`source` declares what a service gives (`Record`) and the interface every service
implements (`MetadataSource`); `http` asks politely (one request at a time, paced,
retried, size-capped, cached by `cache`); `arxiv` and `atom` speak the arXiv API;
`evidence` accepts a record for a paper only when titles and abstracts agree; `stage`
runs it over a catalogue.
"""
