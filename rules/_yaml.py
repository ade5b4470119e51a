"""YAML loading that keeps line numbers, so errors can point at a line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ._errors import RuleError

__all__ = ["YamlDoc", "load_yaml"]


class YamlDoc:
    """Parsed YAML data plus its node tree (for line numbers)."""

    def __init__(self, path: Path, data: Any, root: yaml.Node | None) -> None:
        self.path = path
        self.data = data
        self.root = root

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of the deepest node along ``loc`` that exists."""
        node = self.root
        if node is None:
            return None
        line: int = node.start_mark.line + 1
        for part in loc:
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        # a key that is itself the problem: point at the key
                        line = k.start_mark.line + 1
                        nxt = v
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                nxt = node.value[part]
            if nxt is None:
                break
            node = nxt
            line = int(node.start_mark.line) + 1
        return line


def _duplicate_keys(path: Path, node: yaml.Node | None) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in seen:
                    raise RuleError(
                        path,
                        "duplicate key (the second one would silently win)",
                        field=k.value,
                        line=k.start_mark.line + 1,
                    )
                seen.add(k.value)
            _duplicate_keys(path, v)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _duplicate_keys(path, v)


def load_yaml(path: Path) -> YamlDoc:
    """Parse one YAML file; any problem becomes a RuleError with a line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise RuleError(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise RuleError(path, f"cannot read file: {e.strerror or e}") from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        _duplicate_keys(path, root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(p for p in (e.context, e.problem) if p)
        raise RuleError(
            path, f"YAML syntax error: {problem}", line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as e:
        raise RuleError(path, f"YAML error: {e}") from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, root)
