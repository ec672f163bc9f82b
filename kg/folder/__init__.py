"""The YAML data folder, both directions: find its files, read them (fast and with marks), check, cache and write them.

Its modules, in the order a load runs through them:

- ``finding``: which files a folder holds (``DATA_FILES``, ``bundled_data_dir``, ``holds_data``, ``unread_files``)
- ``loading``: ``load``, ``validate``, ``validate_candidates``; the cache first, then reading
- ``keys`` and ``cache``: the cache's keys (from the files' bytes alone), and loaded graphs kept in parts, signed
- ``reloading``: reading again only the relations that changed since the folder's last load
- ``reading``: each file's bytes and records, fast or with marks, then the checks across them
- ``fast`` (with ``scalars``): the fast reader, plain values record by record
- ``nodes``: libyaml's nodes with line and column marks, within kg's nesting and expansion limits
- ``syntax``: YAML syntax errors in a curator's words
- ``session``: what a read accumulates, and the reader that reports each problem at its place
- ``fields``: one reader per kind of field value; ``records``: each file's schema and the records built from it
- ``checks``: references and cycles, checked across records
- ``writing``: ``dump``, a graph written back out as canonical YAML

``kg.load``, ``kg.validate``, ``kg.dump`` and ``kg.bundled_data_dir`` are its public face.
Importing the package runs nothing.
"""
