// The MQTT-SN v1.2 decoder (§5.2–5.4) against arbitrary datagrams.
//
// Every datagram is either refused with an error or decoded; a decoded packet
// must encode again and decode to the same packet (the codec's model is
// canonical), so a field the decoder reads but the encoder drops is found too.

import MQTTSNCodec
import NIOCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMQTTSN(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let datagram = ByteBuffer(bytes: UnsafeRawBufferPointer(start: start, count: count))
    guard let packet = try? MQTTSNPacket.decode(datagram) else { return 0 }
    var encoded = ByteBuffer()
    do {
        try packet.encode(into: &encoded)
    } catch {
        // A packet the decoder accepted is one the encoder can write.
        preconditionFailure("decoded \(packet) but cannot encode it: \(error)")
    }
    guard let again = try? MQTTSNPacket.decode(encoded) else {
        preconditionFailure("\(packet) encodes to bytes that do not decode")
    }
    precondition(again == packet, "round trip changed \(packet) into \(again)")
    return 0
}
