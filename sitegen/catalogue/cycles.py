"""Cycles of a directed graph, found in time linear in its size: whether an edge lies on a
cycle, and one cycle through it.

The `same_as` graph comes from untrusted files: thousands of papers forming one long
cycle must not take a search per edge through the whole of it (quadratic time). The
graph's strongly connected components (Tarjan's algorithm, without recursion) say
which edges lie on a cycle; in each component, shortest paths to and from one root
give a closed walk through any of its edges, of which only both ends are spelled out.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from sitegen.core.model import ELLIPSIS


@dataclass
class _Search:
    """Tarjan's bookkeeping: visiting order, lowest order reachable, the open stack."""

    order: dict[str, int]
    low: dict[str, int]
    open: list[str]


class Cycles:
    """The cycles of a graph given as each node's successors (every successor a node)."""

    def __init__(self, successors: dict[str, list[str]], shown: int = 4) -> None:
        self.successors, self.shown = successors, shown
        self.component: dict[str, str] = {}  # node -> root of its component (its least id)
        self.hop: dict[str, str] = {}  # node -> next node on a shortest path to its root
        self.parent: dict[str, str] = {}  # node -> previous node on a shortest path from it
        self.to_root: dict[str, int] = {}
        self.from_root: dict[str, int] = {}
        search = _Search({}, {}, [])
        for node in successors:
            if node not in search.order:
                self._visit(node, search)

    def _visit(self, root: str, search: _Search) -> None:
        """Tarjan's depth-first search from root, with an explicit stack."""
        self._enter(root, search)
        work = [(root, iter(self.successors[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in search.order:
                    self._enter(child, search)
                    work.append((child, iter(self.successors[child])))
                    break
                if child not in self.component:  # still open: on the stack
                    search.low[node] = min(search.low[node], search.order[child])
            else:
                work.pop()
                if work:
                    above = work[-1][0]
                    search.low[above] = min(search.low[above], search.low[node])
                if search.low[node] == search.order[node]:
                    self._close(node, search)

    @staticmethod
    def _enter(node: str, search: _Search) -> None:
        search.order[node] = search.low[node] = len(search.order)
        search.open.append(node)

    def _close(self, node: str, search: _Search) -> None:
        """Take node's component off the stack; note shortest paths to and from its root."""
        members: list[str] = []
        while not members or members[-1] != node:
            members.append(search.open.pop())
        root = min(members)
        for member in members:
            self.component[member] = root
        if len(members) > 1:
            inside = set(members)
            self._paths(root, inside, self.successors, self.parent, self.from_root)
            backward: dict[str, list[str]] = {member: [] for member in members}
            for member in members:
                for child in self.successors[member]:
                    if child in inside:
                        backward[child].append(member)
            self._paths(root, inside, backward, self.hop, self.to_root)

    @staticmethod
    def _paths(root: str, inside: set[str], edges: dict[str, list[str]],
               step: dict[str, str], distance: dict[str, int]) -> None:
        """Breadth-first from root over edges within the component: the step towards root
        and the distance of each node."""
        distance[root] = 0
        queue = deque([root])
        while queue:
            node = queue.popleft()
            for nxt in edges[node]:
                if nxt in inside and nxt not in distance:
                    step[nxt], distance[nxt] = node, distance[node] + 1
                    queue.append(nxt)

    def through(self, start: str, first: str) -> list[str]:
        """A closed walk start -> first -> ... -> start, or [] when the edge is on no cycle.

        A walk of more than about twice `shown` nodes keeps its ends, with ELLIPSIS and
        the number of nodes left out between them.
        """
        root = self.component.get(start)
        if start == first or root is None or self.component.get(first) != root:
            return []
        out_length, back_length = self.to_root[first] + 1, self.from_root[start]
        kept_out = min(out_length, max(self.shown, 2 * self.shown - back_length))
        kept_back = min(back_length, 2 * self.shown - kept_out)
        walk = [start, first]
        while len(walk) <= kept_out:  # towards the root, which ends the first part
            walk.append(self.hop[walk[-1]])
        back = [start]
        while len(back) < kept_back:  # from start back towards the root
            back.append(self.parent[back[-1]])
        hidden = out_length + back_length - kept_out - kept_back
        closing = back[:kept_back][::-1]
        if not back_length and hidden:  # start is the root, the first part's hidden end
            hidden, closing = hidden - 1, [start]
        middle = [f"{ELLIPSIS} {hidden:,} more {ELLIPSIS}"] if hidden else []
        return [*walk, *middle, *closing]
