"""Arrow columns as NumPy arrays, the one conversion the analysis steps share."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


def column_numbers(table: pa.Table, column: str) -> npt.NDArray[np.float64]:
    """A numeric column as float64, nulls as 0 (no revenue, no orders)."""
    values = pc.fill_null(table.column(column), 0).combine_chunks()
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)
