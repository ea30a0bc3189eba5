"""``python -m calor.store [upgrade|current] [--database-url URL]``: the schema from a shell."""

from __future__ import annotations

import sys

from calor.store.migrate import main

sys.exit(main())
