"""One module per command: what `sitegen <command>` does, between parsing and the stages."""
