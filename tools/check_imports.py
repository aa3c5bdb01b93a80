"""The layout's rules, checked over the source (AST, nothing imported): `make test` runs it.

* no import cycles between the project's modules (imports inside functions count: they hide a
  cycle, they do not remove it);
* the runtime (``bot/``, ``actions/``) never imports the developer tools (``tools/``);
* environment variables are read only in ``bot/settings.py`` (and by the channels, for their
  own credentials, in ``bot/channels/``);
* no runtime module is longer than 500 lines.

``python -m tools.check_imports`` prints every problem and exits 1 if there is one.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot import PROJECT_ROOT

PACKAGES = ("bot", "actions", "tools")
RUNTIME = ("bot", "actions")
SETTINGS_MODULE = "bot.settings"
# Modules that may read their own variables: the messaging channels read their credentials.
ENVIRONMENT_ALLOWED = ("bot.channels",)
MAX_RUNTIME_LINES = 500


@dataclass
class Module:
    name: str
    path: Path
    imports: set[str] = field(default_factory=set)
    environment_reads: list[int] = field(default_factory=list)
    lines: int = 0


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _reads_environment(node: ast.AST) -> bool:
    """``os.environ``, ``os.getenv(...)``, ``environ.get`` after ``from os import environ``."""
    if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
        return isinstance(node.value, ast.Name) and node.value.id == "os"
    if isinstance(node, ast.ImportFrom) and node.module == "os":
        return any(alias.name in ("environ", "getenv") for alias in node.names)
    return False


def _is_type_checking(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def scan(root: Path = PROJECT_ROOT) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            name = module_name(path, root)
            text = path.read_text(encoding="utf-8")
            module = Module(name, path, lines=len(text.splitlines()))
            tree = ast.parse(text, filename=str(path))
            typing_only = {id(inner) for node in ast.walk(tree) if _is_type_checking(node)
                           for inner in ast.walk(node)}
            for node in ast.walk(tree):
                if id(node) in typing_only:
                    continue  # `if TYPE_CHECKING:` imports are for the type checker only
                if isinstance(node, ast.Import):
                    module.imports.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    module.imports.add(node.module)
                    # "from bot import nlp": the submodule is what is imported
                    module.imports.update(f"{node.module}.{alias.name}" for alias in node.names)
                if _reads_environment(node):
                    module.environment_reads.append(getattr(node, "lineno", 0))
            modules[name] = module
    for module in modules.values():
        module.imports = {_resolve(i, modules) for i in module.imports} - {None, module.name}
    return modules


def _resolve(imported: str, modules: dict[str, Module]) -> str | None:
    """The project module an import refers to (the longest matching name), or None."""
    parts = imported.split(".")
    while parts:
        name = ".".join(parts)
        if name in modules:
            return name
        parts.pop()
    return None


def cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(name: str) -> None:
        index[name] = low[name] = counter[0]
        counter[0] += 1
        stack.append(name)
        on_stack.add(name)
        for other in sorted(modules[name].imports):
            # a package's __init__ importing its own submodules is how packages re-export
            if other.startswith(name + "."):
                continue
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in on_stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for name in sorted(modules):
        if name not in index:
            visit(name)
    return found


def _in(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def problems(root: Path = PROJECT_ROOT) -> Iterator[str]:
    modules = scan(root)
    for group in cycles(modules):
        yield f"import cycle: {' <-> '.join(group)}"
    for module in modules.values():
        relative = module.path.relative_to(root)
        if _in(module.name, RUNTIME):
            for imported in sorted(module.imports):
                if _in(imported, ("tools",)):
                    yield f"{relative}: the runtime imports the developer tool {imported}"
            if module.lines > MAX_RUNTIME_LINES:
                yield (f"{relative}: {module.lines} lines (a runtime module has at most "
                       f"{MAX_RUNTIME_LINES}; split it along its sections)")
            if (module.environment_reads and module.name != SETTINGS_MODULE
                    and not _in(module.name, ENVIRONMENT_ALLOWED)):
                where = ", ".join(str(line) for line in module.environment_reads)
                yield (f"{relative}: reads environment variables (line {where}); read them in "
                       f"bot/settings.py and pass the values down")


def main() -> int:
    found = list(problems())
    for problem in found:
        print(problem)
    print(f"check_imports: {len(found)} problem(s)" if found else "check_imports: ok")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
