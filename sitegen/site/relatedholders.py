"""Each term's holders in the related-papers index, and their weights for it: made from an
earlier index's where the papers are the same ones (a preview's rebuild)."""

from __future__ import annotations

from collections.abc import Collection

from sitegen.site.relatedterms import IndexState


def term_holders(weighted: list[dict[str, float]], earlier: IndexState | None = None,
                 renewed: Collection[int] | None = None) -> dict[str, dict[int, float]]:
    """Each term's holders (by number) and their weights for it: from those of an `earlier`
    index of the same papers where it has them, changed for the papers weighted anew (whose
    weights are other objects; `renewed`, when known, holds every such paper, so that only
    they are looked at). The earlier index's are left as they were: only the terms that
    change are copied. The order of a term's holders is not part of the result."""
    if earlier is None or earlier.holders is None:
        by_term: dict[str, dict[int, float]] = {}
        for i, terms in enumerate(weighted):
            for term, weight in terms.items():
                by_term.setdefault(term, {})[i] = weight
        return by_term
    was = earlier.weights.weighted
    by_term = dict(earlier.holders)
    copied: set[str] = set()

    def own(term: str) -> dict[int, float]:
        """The term's holders, this index's own copy."""
        if term not in copied:
            by_term[term] = dict(by_term.get(term, {}))
            copied.add(term)
        return by_term[term]

    if len(was) != len(weighted):
        raise ValueError("an earlier index of other papers")
    for i in sorted(renewed) if renewed is not None else range(len(weighted)):
        if (before := was[i]) is not (now := weighted[i]):
            for term in before:
                del own(term)[i]
            for term, weight in now.items():
                own(term)[i] = weight
    for term in copied:
        if not by_term[term]:
            del by_term[term]
    return by_term
