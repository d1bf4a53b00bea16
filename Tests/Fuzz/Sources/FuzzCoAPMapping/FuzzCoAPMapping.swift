// CoAP `/ps/{topic}` requests mapped to upstream MQTT (SPEC §4): the Uri-Path,
// the Uri-Query (`qos`, `retain`), the client id and the payload.
//
// Input layout: one byte of flags (method, confirmable, observe, which client
// id), then path, query and payload separated by NUL bytes. Checked: every
// request gets a decision; a publish names a valid topic name (MQTT 5.0
// §4.7.3) inside the sensor's own mountpoint, whatever the path says, and
// carries no more payload than the limit.

@testable import CoAPServer
import PerchCore

private let fixed = PubSubRouter(
    mountpoint: (try? Mountpoint("site/gw/")) ?? Mountpoint.none,
    aliases: ["temp": "room/temperature", "all": "room/+"],
    maximumPayloadBytes: 1_024
)
private let perClient = PubSubRouter(
    mountpoint: (try? Mountpoint("site/${clientid}/")) ?? Mountpoint.none,
    aliases: ["temp": "room/temperature"],
    maximumPayloadBytes: 1_024
)
private let methods: [CoAPRequest.Method] = [.get, .post, .put, .delete, .fetch, .patch, .iPatch, .other(9)]
private let clientIDs: [String?] = [nil, "", "node-1", "a/b", "+", "#", "x\u{0}y"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCoAPMapping(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let flags = bytes.first else { return 0 }
    let fields = bytes.dropFirst().split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
    func field(_ index: Int) -> [UInt8] { index < fields.count ? Array(fields[index]) : [] }
    let clientID = clientIDs[Int(flags >> 5) % clientIDs.count]
    let request = CoAPRequest(
        method: methods[Int(flags & 0x07)],
        isConfirmable: flags & 0x08 != 0,
        path: String(decoding: field(0), as: UTF8.self),
        query: String(decoding: field(1), as: UTF8.self),
        contentFormat: flags & 0x10 != 0 ? 50 : nil,
        observe: flags & 0x10 != 0 ? 0 : nil,
        payload: field(2),
        clientID: clientID
    )

    var lastValues = LastValueCache(capacity: 4)
    lastValues.record(Message(topic: "site/gw/room/temperature", text: "21.5", qos: .atLeastOnce, retain: true))

    for (router, prefix) in [(fixed, "site/gw/"), (perClient, "site/\(clientID ?? "")/")] {
        switch router.decide(request, lastValues: lastValues) {
        case let .publish(message, _, _):
            precondition((try? TopicName.validate(message.topic)) != nil, "published to an invalid topic \(message.topic)")
            precondition(message.topic.utf8.starts(with: prefix.utf8), "\(request.path) escaped the mountpoint: \(message.topic)")
            precondition(message.payload.readableBytes <= router.maximumPayloadBytes, "payload above the limit")
        case .respond:
            break
        }
        if let filter = router.observableFilter(forPath: request.path, clientID: clientID) {
            precondition(filter.utf8.starts(with: prefix.utf8), "observing \(request.path) escaped the mountpoint: \(filter)")
        }
    }
    _ = try? PublishOptions(query: request.query)
    return 0
}
