"""Sales lines from ERP exports: dialects, column mapping, dry run, atomic import."""
