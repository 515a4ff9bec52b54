"""Reading CSV/XLSX files as communes keep them — pure utilities shared by classify and the imports.

* ``values``: one cell — ``parse_yes_no``, ``parse_int``, ``parse_decimal``, ``parse_date``, ``parse_area``
* ``header``: ``ColumnSpec`` and ``find_header`` (the header row under title rows, aliases, accents)
* ``reader``: ``read_table(path, specs)`` → ``Table`` (a polars frame of strings with Excel row numbers,
  cut at the end of the data: total rows, signature blocks, trailers); workbooks are streamed.
  ``Table.batches`` walks the rows in bounded batches; ``iter_sheet_rows`` streams a sheet's raw rows as
  text; ``finish_table``/``no_header_error``/``pick_sheet``/``is_workbook`` for readers built on top
* ``columns``: whole-column parsing with the same rules, vectorised, reporting file/row/column problems —
  the one column-check engine (``BadRows``: the caller says how bad rows are reported; the imports name all)
"""
