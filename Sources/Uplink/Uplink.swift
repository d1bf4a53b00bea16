// Uplink — see Docs/architecture.md.
