"""Where in its life a customer is now: ramp-up, mature, phase-out or lost.

A phase is read off the customer's recent months and its shape: lost when it has been
silent for longer than it is likely still a customer, ramp-up while it is young, phase-out
while its shape declines or its last year fell far below the year before
(docs/value-types.md).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kundenbild.analytics.config import PhaseConfig
from kundenbild.analytics.shapes.history import Life, MonthlyValues

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PHASES = ("ramp_up", "mature", "phase_out", "lost")
RAMP_UP, MATURE, PHASE_OUT, LOST = range(4)


def phase_of(
    values: MonthlyValues,
    life: Life,
    config: PhaseConfig,
    p_alive: Array | None,
    *,
    declining: BoolArray,
    cyclical: BoolArray,
) -> IntArray:
    """lost (silent far longer than its rhythm) → ramp_up (young) → phase_out (a
    `declining` shape, or a last year far below the year before that no season
    explains) → mature.

    With `p_alive`, a customer is lost exactly when the purchase model's probability that
    it is still active is below `lost_max_p_alive` (and it has been silent for
    `lost_min_months`), so that the phase never contradicts the probability shown beside
    it. Without it, the silence against the customer's rhythm decides.
    """
    last_year = values.revenue[:, -12:].sum(axis=1)
    year_before = values.revenue[:, -24:-12].sum(axis=1)
    silent = life.has & (life.since_last >= config.lost_min_months)
    if p_alive is not None:
        lost = silent & (p_alive < config.lost_max_p_alive)
    else:
        # one order gives no rhythm: a year of silence after it counts as lost
        rhythmic = np.where(
            life.rhythm < values.revenue.shape[1], config.lost_rhythm_factor * life.rhythm, 12.0
        )
        lost = silent & (life.since_last >= rhythmic)
    lost |= ~life.has
    young = life.history <= config.ramp_up_months
    dropped = (
        (life.history >= 24) & ~cyclical & (last_year <= (1 - config.phase_out_drop) * year_before)
    )
    phase = np.full(len(life.has), MATURE, dtype=np.int64)
    phase[declining | dropped] = PHASE_OUT
    phase[young] = RAMP_UP
    phase[lost] = LOST
    return phase
