// PerchTestKit — see Docs/architecture.md.
