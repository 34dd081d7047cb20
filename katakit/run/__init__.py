"""Starting pytest runs. A run is one pytest process over some specs, from its request to its end:

    launch.py       the request: its pytest command line and environment (the only place that builds them)
    runners.py      one factory for the runners; the fall back from warm to cold
    cold.py         a runner: a fresh process per run
    warm.py         a runner: a server that imported TensorFlow once forks a child per run (warm_server.py)
    processes.py    the live processes, their preparation and confinement (limits, user, death signal)
    follow.py       reads a run's stream to its end; the grader passes its watchdog
    tree.py         a run's process tree: the memory it holds, and killing all of it
    sandbox.py      bubblewrap, a container user, or none
"""
