chunks = [b"k" * 2**26 for _ in range(4)]  # 0.25 GB, 64 MB at a time

def add(a, b):
    """Step 1: a + b."""
    return a + b


def count_to(n):
    """Step 2: [1, ..., n]."""
    return list(range(1, n + 1))
