def total(values):
    """Step 1, sum: the sum of values."""
    return sum(values)


def double(values):
    """Step 1, sum: each value twice."""
    return [2 * v for v in values]
