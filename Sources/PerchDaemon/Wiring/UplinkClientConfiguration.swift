import Uplink

/// The uplink module's own configuration type. PerchConfig has a type of the same
/// name for the `uplink:` section; this file imports only the uplink's, so the
/// alias names it without ambiguity everywhere in the daemon.
typealias UplinkClientConfiguration = UplinkConfiguration
