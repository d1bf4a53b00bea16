/// CoAP Content-Format numbers and the media types they stand for
/// (RFC 7252 §12.3 and the IANA "CoAP Content-Formats" registry).
///
/// The media type travels upstream as the MQTT 5 Content Type (MQTT 5.0
/// §3.3.2.3.9); a number without a known media type travels as none.
enum ContentFormat {
    /// Registered formats a sensor is likely to send, number → media type.
    static let mediaTypes: [UInt32: String] = [
        0: "text/plain;charset=utf-8",
        16: "application/cose; cose-type=\"cose-encrypt0\"",
        40: "application/link-format",
        41: "application/xml",
        42: "application/octet-stream",
        47: "application/exi",
        50: "application/json",
        51: "application/json-patch+json",
        52: "application/merge-patch+json",
        60: "application/cbor",
        61: "application/cwt",
        110: "application/senml+json",
        111: "application/sensml+json",
        112: "application/senml+cbor",
        113: "application/sensml+cbor",
        310: "application/senml+xml",
        311: "application/sensml+xml",
    ]

    /// The media type for a Content-Format number, `nil` when unknown.
    static func mediaType(for format: UInt32) -> String? {
        mediaTypes[format]
    }

    /// The Content-Format number for a media type, `nil` when it has none,
    /// so a message with an unregistered content type is answered without the option.
    static func format(for mediaType: String) -> UInt32? {
        let wanted = normalized(mediaType)
        return mediaTypes.first { normalized($0.value) == wanted }?.key
    }

    /// Case and spaces do not matter in a media type (RFC 6838 §4.2).
    private static func normalized(_ mediaType: String) -> String {
        String(mediaType.lowercased().filter { $0 != " " })
    }
}
