"""``python -m skdenoise``: the ``skdenoise`` command."""

import sys

from .cli import main

sys.exit(main())
