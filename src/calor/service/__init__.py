"""The one facade for stack and template operations, shared by the CLI and the API."""
