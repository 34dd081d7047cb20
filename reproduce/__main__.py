import sys

from katakit import env

env.apply()  # before anything imports TensorFlow: the runner, and the worker processes it starts

from reproduce.runner import main  # noqa: E402

sys.exit(main())
