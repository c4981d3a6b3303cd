"""sitegen: a reviewed catalogue of large-language-model papers, from raw dumps to a static site."""

__version__ = "0.1.0"
