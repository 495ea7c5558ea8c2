"""Rows of cells as a document writes them (each cell with its row and column
span) laid out on the table's grid.

HTML and tagged PDF both list only the cells that start in a row; the grid
positions a span covers are implicit. Placing them here gives every reader the
same rows: each cell at its grid column, each covered position a ``covered``
cell, so that column roles stay positional."""

from __future__ import annotations

from extractor.elements import Cell


def place_cells(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows with covered cells inserted and every cell's ``col`` set.

    >>> rows = place_cells([[Cell([["A"]], 0, rowspan=2), Cell([["B"]], 0)], [Cell([["C"]], 0)]])
    >>> [[(c.col, c.text, c.covered) for c in row] for row in rows]
    [[(0, 'A', False), (1, 'B', False)], [(0, '', True), (1, 'C', False)]]
    """
    pending: dict[int, int] = {}  # grid column → rows still covered by a rowspan above
    placed: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = []
        col = 0

        def cover_while_spanned() -> None:
            nonlocal col
            while pending.get(col, 0) > 0:
                pending[col] -= 1
                cells.append(Cell(paragraphs=[], col=col, covered=True))
                col += 1

        for cell in row:
            cover_while_spanned()
            cell.col = col
            cells.append(cell)
            for offset in range(cell.colspan):
                if offset:
                    cells.append(Cell(paragraphs=[], col=col + offset, covered=True))
                if cell.rowspan > 1:
                    pending[col + offset] = cell.rowspan - 1
            col += cell.colspan
        cover_while_spanned()
        placed.append(cells)
    return placed
