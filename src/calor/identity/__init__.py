"""Identity: projects, users, roles and tokens (a Keystone v3 compatible subset)."""
