"""Arrow columns as NumPy arrays, the conversions the analysis steps share."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


def column_numbers(table: pa.Table, column: str) -> npt.NDArray[np.float64]:
    """A numeric column as float64, nulls as 0 (no revenue, no orders). Without nulls the
    chunks are converted as they are: filling nulls first copies millions of values."""
    values = table.column(column)
    if values.null_count:
        values = pc.fill_null(values, 0)
    if values.num_chunks == 1:
        return np.asarray(values.chunk(0).to_numpy(zero_copy_only=False), dtype=np.float64)
    return np.asarray(values.to_numpy(), dtype=np.float64)


def month_index(dates: pa.Array) -> npt.NDArray[np.int64]:
    """year * 12 + month - 1 per date; -1 where there is none."""
    year = pc.fill_null(pc.year(dates), 0).to_numpy(zero_copy_only=False)
    month = pc.fill_null(pc.month(dates), 0).to_numpy(zero_copy_only=False)
    return np.asarray(year * 12 + month - 1, dtype=np.int64)
