import sys

sys.exit(3)


def words(text):
    return text.split()
