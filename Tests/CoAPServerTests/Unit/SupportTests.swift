@testable import CoAPServer
import NIOCore
import PerchCore
import Testing

struct LastValueCacheTests {
    @Test func forgetsTheTopicUpdatedLongestAgoWhenFull() {
        var cache = LastValueCache(capacity: 2)
        cache.record(Message(topic: "a", text: "1"))
        cache.record(Message(topic: "b", text: "1"))
        cache.record(Message(topic: "a", text: "2"))
        cache.record(Message(topic: "c", text: "1"))
        #expect(cache.count == 2)
        #expect(cache.message(on: "b") == nil)
        #expect(cache.message(on: "a") == Message(topic: "a", text: "2"))
        #expect(cache.message(on: "c") != nil)
    }
}

struct ContentFormatTests {
    @Test(arguments: [(UInt32(0), "text/plain;charset=utf-8"), (50, "application/json"), (60, "application/cbor"), (42, "application/octet-stream")])
    func registeredFormatsMapBothWays(format: UInt32, mediaType: String) {
        #expect(ContentFormat.mediaType(for: format) == mediaType)
        #expect(ContentFormat.format(for: mediaType) == format)
    }

    @Test func mediaTypesCompareWithoutCaseOrSpaces() {
        #expect(ContentFormat.format(for: "Text/Plain; charset=UTF-8") == 0)
        #expect(ContentFormat.format(for: "application/x-unknown") == nil)
    }
}

struct EndpointTextTests {
    @Test(arguments: [("127.0.0.1:40123 UDP", 40123), ("[::1]:5683 UDP", 5683), ("garbage", nil)])
    func portIsReadFromLibcoapsEndpointText(text: String, port: Int?) {
        #expect(CoAPEngine.port(inEndpointText: text) == port)
    }
}
