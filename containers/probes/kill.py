"""SIGKILL the process argv[1] (the images have no `kill` of their own)."""

import os
import signal
import sys

os.kill(int(sys.argv[1]), signal.SIGKILL)
