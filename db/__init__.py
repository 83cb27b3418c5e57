"""Storage: the one connection helper and the versioned schema migrations."""
