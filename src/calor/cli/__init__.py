"""The ``calor`` command line: embedded mode now, remote mode when a server URL is given."""
