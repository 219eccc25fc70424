"""Exact statistics of distributions given as {value: how many}, for results of every type."""

from decimal import Decimal


def median(counts):
    """The middle value of a distribution given as {value: how many}; for an even number of
    values, the mean of the two middle ones. None when there are no values."""
    total = sum(counts.values())
    if not total:
        return None
    lower_index, upper_index = (total - 1) // 2, total // 2
    lower = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if lower is None and seen > lower_index:
            lower = value
        if seen > upper_index:
            return (Decimal(lower) + Decimal(value)) / 2
    raise AssertionError("unreachable: the counts add up to the total")
