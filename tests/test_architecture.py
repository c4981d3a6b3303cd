"""The package's layers, as ARCHITECTURE.md draws them, hold: imports only go one way.

core <- catalogue <- {ingest, search, enrich} <- site <- commands <- cli. A module may import
its own package and any lower layer; a stage never imports a command, ingest, search and
enrich never import each other, and type modules import no loader.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "sitegen"
LAYERS = {"core": 0, "catalogue": 1, "ingest": 2, "search": 2, "enrich": 2, "site": 3,
          "commands": 4, "cli": 5, "__main__": 6}
# Modules that declare types others use: they must load nothing that parses files.
TYPE_MODULES = ("sitegen.core.model", "sitegen.catalogue.taxonomy",
                "sitegen.catalogue.yamltypes")
LOADERS = ("yaml", "jsonschema", "fastjsonschema", "sitegen.catalogue.yamlio",
           "sitegen.catalogue.yamlload", "sitegen.catalogue.schema")


def imports_of(path: Path) -> set[str]:
    """Every module a source file imports, at any depth (in functions, under TYPE_CHECKING)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: use absolute imports"
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str | None:
    """The layer a sitegen module belongs to; None for the package root and non-sitegen."""
    parts = module.split(".")
    return parts[1] if parts[0] == "sitegen" and len(parts) > 1 else None


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Each import that goes against the layers: to a higher layer or across to a sibling."""
    found = []
    for module, imported in sorted(graph.items()):
        own = layer(module)
        for target in sorted(imported):
            other = layer(target)
            if own is None or other is None or other == own or other not in LAYERS:
                continue
            if LAYERS[other] >= LAYERS[own]:
                found.append(f"{module} imports {target}: {other} is not below {own}")
    return found


def loader_imports(graph: dict[str, set[str]]) -> list[str]:
    return [f"{module} imports {target}" for module in TYPE_MODULES for target in
            sorted(graph.get(module, ())) if any(target == x or target.startswith(f"{x}.")
                                         for x in LOADERS)]


def test_every_subpackage_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages <= set(LAYERS), packages - set(LAYERS)


def test_imports_only_go_down_the_layers():
    assert violations(import_graph()) == []


def test_type_modules_import_no_loader():
    assert loader_imports(import_graph()) == []


def test_an_import_up_or_across_the_layers_is_reported():
    graph = {"sitegen.core.text": {"sitegen.site.pages"},
             "sitegen.ingest.merge": {"sitegen.search.index", "sitegen.core.model"},
             "sitegen.site.build": {"sitegen.commands.common", "sitegen.site.render"},
             "sitegen.cli": {"sitegen.commands.build"}}
    assert violations(graph) == [
        "sitegen.core.text imports sitegen.site.pages: site is not below core",
        "sitegen.ingest.merge imports sitegen.search.index: search is not below ingest",
        "sitegen.site.build imports sitegen.commands.common: commands is not below site"]


def test_a_type_module_importing_a_loader_is_reported():
    graph = {"sitegen.core.model": {"dataclasses", "yaml"}}
    assert loader_imports(graph) == ["sitegen.core.model imports yaml"]
