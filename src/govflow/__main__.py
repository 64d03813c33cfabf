"""``python -m govflow``: the command line."""

import sys

from govflow.cli import main

sys.exit(main())
