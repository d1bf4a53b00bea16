@testable import CoAPServer
import MQTTCodec
import Testing

/// The query of a PUT/POST on `/ps/{topic}` (SPEC §4).
struct PublishOptionsTests {
    @Test func noQueryIsQoS0NotRetained() throws {
        #expect(try PublishOptions(query: "") == PublishOptions())
    }

    @Test(arguments: [
        ("qos=0", MQTTQoS.atMostOnce, false),
        ("qos=1", .atLeastOnce, false),
        ("qos=2&retain=1", .exactlyOnce, true),
        ("retain=true&qos=1", .atLeastOnce, true),
        ("retain=false", .atMostOnce, false),
        ("retain=0", .atMostOnce, false),
    ])
    func validQueries(query: String, qos: MQTTQoS, retain: Bool) throws {
        let options = try PublishOptions(query: query)
        #expect(options.qos == qos)
        #expect(options.retain == retain)
    }

    @Test(arguments: ["qos=3", "qos=-1", "qos", "qos=", "retain=2", "retain=TRUE", "x=1", "qos=1&qos=1", "&", "qos=1&"])
    func invalidQueriesAreRefused(query: String) {
        #expect(throws: CoAPRequestError.self) { try PublishOptions(query: query) }
    }
}
