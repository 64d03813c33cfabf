"""``python -m govflow``: the command line."""

import sys

from govflow.cli._main import main

sys.exit(main())
