"""Starting pytest runs: launch.py builds every pytest command line; cold.py runs it in a fresh
process, warm.py forks it from a server that has imported TensorFlow once, sandbox.py wraps it."""
