"""The numbering tree of a measure table: rows in (cells sorted by role, extractor.rows), measures out.

Each cell is cut into items by its numbering markers; items are placed in one tree by their marker
style — not by the column they sit in, since converters shift cells — and every leaf on the measure
side is one measure. Five steps, one module each, each with its own tests (tests/test_tree_steps.py):

    numbering → levels → parents → boundaries → values      (builder.py calls them row by row)

and measures.py reads the measures off the finished tree."""

from extractor.tree.builder import TreeBuilder
from extractor.tree.measures import measure_id, measures_from_tree, render_tree
from extractor.tree.nodes import STEPS, ClassifiedRow, Node

__all__ = ["STEPS", "ClassifiedRow", "Node", "TreeBuilder", "measure_id", "measures_from_tree", "render_tree"]
