"""The stack engine: traversals planned as graphs of work units, run by workers."""
