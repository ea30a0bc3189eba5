"""ASGI apps: the orchestration API and the identity API."""
