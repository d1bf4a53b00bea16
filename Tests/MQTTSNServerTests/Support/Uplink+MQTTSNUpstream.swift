import MQTTSNServer
import Uplink

/// As in PerchDaemon: the uplink already has the three calls, with these signatures.
extension Uplink: MQTTSNUpstream {}
