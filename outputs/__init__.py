"""Renderers: one result object in, a document out. Each module renders one
format; nothing here reads plan files or runs checks."""
