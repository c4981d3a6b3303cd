"""From dumps to papers: parsing dumps, merging entries into papers, proposing labels,
measuring them."""
