"""The catalogue on disk: YAML, schemas, the paper store, the taxonomy, same-paper rules
and the validated catalogue."""
