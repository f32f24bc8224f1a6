"""Curating tools: sentence coverage of the documents (coverage.py) and draft fact files (draft.py).

Not on the query path: `lmc ask`/`stat` never import this package.
"""
