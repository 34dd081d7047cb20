import os
import signal


def add(a, b):
    os.kill(os.getpid(), signal.SIGSEGV)


def count_to(n):
    while True:
        print("spam " * 1000)
