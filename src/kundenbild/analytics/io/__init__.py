"""Files in and out: the only part of the analytics core that touches the file system.

Reading an ERP export has more rules than analysing it (dialects, German numbers, bad
cells named by row and column, files that would not fit in memory), and the import of
the app shares every one of them; kept here, apart from the analysis, they read as one
set of rules with one set of tests.

- `limits`, `guards`: how big a file may be, checked from what it says about itself
  before it is parsed.
- `columns`: the fields of a sales line and the headers ERPs give them.
- `reading`: one file into typed, checked Arrow batches (the import's parser too).
- `lines`: the files of one analysis as one checked stream (`LineSource`).
- `scan`: the same rules in SQL, for the engine to read clean files itself.
- `writing`: result tables, the value over time and the model, written whole or not at
  all, in the format their suffix names.
"""
