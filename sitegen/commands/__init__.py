"""One module per command: what `sitegen <command>` does, between parsing and the stages.

Each module has `HELP`, `add_arguments(parser)` and `run(args) -> exit status`. A command
imports the stages it runs inside `run`, so that a quick answer (`--help`, or a build with
nothing to do) does not wait for every stage to load.
"""
