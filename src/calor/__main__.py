"""``python -m calor``: the same as the ``calor`` command."""

from calor.cli.main import main

main()
