"""The set operations of an import, in SQL that SQLite (3.33+) and PostgreSQL share.

Statements are assembled from the constant column names below; every value is passed
as a query parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection

LINE_COLUMNS = (
    "invoice_number",
    "line_number",
    "customer_id",
    "invoice_date",
    "article_number",
    "quantity",
    "net_revenue",
    "cost_of_goods",
    "discount",
    "freight",
)
STAGE = "kb_import_stage"

_SAME = (
    "l.customer_id = s.customer_id AND l.invoice_date = s.invoice_date "
    "AND l.article_number = s.article_number "
    "AND ROUND(l.quantity, 3) = ROUND(s.quantity, 3) "
    "AND ROUND(l.net_revenue, 2) = ROUND(s.net_revenue, 2) "
    "AND ROUND(l.cost_of_goods, 2) = ROUND(s.cost_of_goods, 2) "
    "AND ROUND(l.discount, 2) = ROUND(s.discount, 2) "
    "AND ROUND(l.freight, 2) = ROUND(s.freight, 2)"
)
_KEY = "l.invoice_number = s.invoice_number AND l.line_number = s.line_number"


def merge_lines(
    batches: Iterable[list[tuple[Any, ...]]],
    *,
    total: int,
    run_id: int,
    report: Callable[[int, int, str], None],
) -> tuple[int, int, int]:
    """Stage the lines, then replace changed ones, count unchanged, insert new ones.

    Returns (added, replaced, unchanged). Must run inside the caller's transaction.
    """
    numeric = "NUMERIC(16, 3)" if connection.vendor == "postgresql" else "NUMERIC"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (invoice_number VARCHAR(40), line_number INTEGER, "
            f"customer_id BIGINT, invoice_date DATE, article_number VARCHAR(40), "
            f"quantity {numeric}, net_revenue {numeric}, cost_of_goods {numeric}, "
            f"discount {numeric}, freight {numeric})"
        )
        placeholders = ", ".join(["%s"] * len(LINE_COLUMNS))
        done = 0
        for rows in batches:
            if connection.vendor == "postgresql":
                # COPY is several times faster than INSERT on PostgreSQL
                with cursor.cursor.copy(f"COPY {STAGE} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {STAGE} VALUES ({placeholders})", rows)
            done += len(rows)
            report(done, total, "staging")
        cursor.execute(f"CREATE INDEX {STAGE}_key ON {STAGE} (invoice_number, line_number)")
        cursor.execute(
            f"SELECT COUNT(*) FROM {STAGE} s JOIN finance_salesline l ON {_KEY} WHERE {_SAME}"
        )
        unchanged = int(cursor.fetchone()[0])
        columns = ", ".join(LINE_COLUMNS)
        cursor.execute(
            f"INSERT INTO imports_replacedsalesline (run_id, {columns}, previous_run_id) "
            f"SELECT %s, {', '.join('l.' + c for c in LINE_COLUMNS)}, l.import_run_id "
            f"FROM {STAGE} s JOIN finance_salesline l ON {_KEY} WHERE NOT ({_SAME})",
            [run_id],
        )
        replaced = cursor.rowcount
        assignments = ", ".join(f"{c} = s.{c}" for c in LINE_COLUMNS[2:])
        cursor.execute(
            f"UPDATE finance_salesline SET {assignments}, import_run_id = %s FROM {STAGE} s "
            f"WHERE finance_salesline.invoice_number = s.invoice_number "
            f"AND finance_salesline.line_number = s.line_number AND NOT ("
            + _SAME.replace("l.", "finance_salesline.")
            + ")",
            [run_id],
        )
        cursor.execute(
            f"INSERT INTO finance_salesline ({columns}, import_run_id) "
            f"SELECT {', '.join('s.' + c for c in LINE_COLUMNS)}, %s FROM {STAGE} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM finance_salesline l WHERE {_KEY})",
            [run_id],
        )
        added = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGE}")
    return added, replaced, unchanged


def undo_lines(run_id: int) -> None:
    """Remove the lines an import added and restore those it replaced."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM finance_salesline WHERE import_run_id = %s AND NOT EXISTS ("
            "SELECT 1 FROM imports_replacedsalesline r WHERE r.run_id = %s "
            "AND r.invoice_number = finance_salesline.invoice_number "
            "AND r.line_number = finance_salesline.line_number)",
            [run_id, run_id],
        )
        assignments = ", ".join(f"{c} = r.{c}" for c in LINE_COLUMNS[2:])
        cursor.execute(
            f"UPDATE finance_salesline SET {assignments}, import_run_id = r.previous_run_id "
            "FROM imports_replacedsalesline r WHERE r.run_id = %s "
            "AND r.invoice_number = finance_salesline.invoice_number "
            "AND r.line_number = finance_salesline.line_number",
            [run_id],
        )
