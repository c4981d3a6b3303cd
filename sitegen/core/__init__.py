"""The shared vocabulary: the data model, problems, text folding and cleaning, patterns,
the process seam."""
