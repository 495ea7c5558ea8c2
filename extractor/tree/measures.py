"""The tree's leaves as the plan's measures: path, number, values inherited from the nearest item
that has them, and an id from the numbering."""

from __future__ import annotations

from extractor.tree.builder import TreeBuilder
from extractor.tree.nodes import Node
from models import Location, Measure


def _inherited(node: Node, attribute: str):
    current: Node | None = node
    while current is not None:
        value = getattr(current, attribute)
        if current.aligned or value:
            return value, current
        current = current.parent
    return None, None


def ancestors(node: Node) -> list[Node]:
    chain = []
    current = node.parent
    while current is not None and current.style_key != "root":
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def measure_id(node: Node) -> str:
    parts = []
    for entry in [*ancestors(node), node]:
        if entry.value is not None:
            parts.append(str(entry.value))
        else:
            siblings = entry.parent.children if entry.parent else []
            parts.append(f"u{siblings.index(entry) + 1}")
    return "-".join(parts)


def measures_from_tree(builder: TreeBuilder, table_index: int) -> list[Measure]:
    measures: list[Measure] = []
    seen: dict[str, int] = {}
    for node in builder.leaves():
        units, owner = _inherited(node, "units")
        deadline, _ = _inherited(node, "deadline")
        base = f"t{table_index + 1}-{measure_id(node)}"
        seen[base] = seen.get(base, 0) + 1
        identifier = base if seen[base] == 1 else f"{base}-{seen[base]}"
        measures.append(Measure(
            id=identifier,
            path=[entry.label for entry in ancestors(node)],
            number=node.marker.raw if node.marker else "",
            text=node.text,
            departments=list(units or []),
            departments_uncertain=bool(owner and owner.units_uncertain),
            deadline=deadline,
            expected_benefit=node.benefit,
            location=Location(line=node.line, page=node.page),
        ))
    return measures


def render_tree(root: Node, width: int = 40) -> list[str]:
    """The tree as indented lines (``plancheck debug``): each node's label, side and values."""
    lines: list[str] = []

    def walk(node: Node, depth: int) -> None:
        for child in node.children:
            label = " ".join(child.label.split())
            label = label if len(label) <= width else label[: width - 1] + "…"
            values = ""
            if child.aligned:
                values = f"  [{'、'.join(child.units or []) or '∅'} | {child.deadline or '∅'}]"
            lines.append(f"{'  ' * depth}{'•' if child.side == 'measure' and not child.children else '▸'} {label}{values}")
            walk(child, depth + 1)

    walk(root, 0)
    return lines
