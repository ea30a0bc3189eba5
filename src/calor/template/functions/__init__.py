"""One module per family of intrinsic functions; versions.py assembles the tables."""
