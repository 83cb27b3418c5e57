"""Accounts: local users with hashed passwords, and the mapping of OIDC identities to roles."""
