// PerchConfig — see Docs/architecture.md.
