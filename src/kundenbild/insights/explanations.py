"""What each value type and lifecycle phase means, in the seed's words.

The badges carry these as tooltips and the help page lists them, so that "Klette" or
"unauffällig" never stands on a page without its meaning at hand. The German texts are
the seed's own sentences (`../shared/seeds/004_…`), shortened where a tooltip needs it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VALUE_TYPE_HELP = {
    "steady": _(
        "Keeps its value over a long time: it builds up only in the ramp-up and declines "
        "in the phase-out; otherwise it is constant apart from small swings. Look closely: "
        "the pearls often hide here."
    ),
    "cyclical": _(
        "Its value swings strongly over time: periods of much value alternate with periods "
        "of little or none, e.g. through seasons or budgets available only at certain times."
    ),
    "bell": _(
        "After an entry phase its value grows fast, reaches a peak and then declines "
        "steadily until it contributes hardly anything; in the end the customer is lost."
    ),
    "growth": _(
        "Its value rises steadily, in principle indefinitely, until a sudden event ends "
        "the development."
    ),
    "shrinking": _(
        "The reverse of growth: its value falls steadily until it reaches a minimum and "
        "the relationship ends."
    ),
    "burr": _(
        "A loyal customer of very little value; some cost more than they bring. Its "
        "contribution margin is minimal or negative."
    ),
    "insufficient_history": _("Too few months or orders yet to tell how its value runs."),
}

PHASE_HELP = {
    "ramp_up": _("Young: its value is still building up to its level."),
    "mature": _("At its level."),
    "phase_out": _("In a lasting decline: its value is going down."),
    "lost": _("No orders for far longer than usual: the customer has left."),
}
