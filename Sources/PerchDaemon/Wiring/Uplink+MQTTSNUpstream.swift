import MQTTSNServer
import Uplink

/// The uplink already has the three calls the MQTT-SN server needs, with these
/// exact signatures; declared here, where both are known, so that neither
/// adapter imports the other.
extension Uplink: MQTTSNUpstream {}
