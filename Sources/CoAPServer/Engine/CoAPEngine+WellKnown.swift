internal import CLibCoAP

extension CoAPEngine {
    /// `/.well-known/core` (RFC 6690), answered by perchd rather than libcoap.
    ///
    /// libcoap 4.3.1 lists every resource it holds and has no way to hide
    /// one, and perchd makes a resource for each observed `/ps/{topic}` (the
    /// unknown-path resource cannot be observed): those paths were listed,
    /// until a restart. The list is `/ps` (the pub-sub function set's entry,
    /// draft-ietf-core-coap-pubsub) and the configured aliases, nothing else.
    func addWellKnownCore(to context: OpaquePointer) throws(CoAPServerError) {
        guard let uri = Self.newString(".well-known/core"),
              let resource = coap_resource_init(uri, perch_coap_resource_flags_release_uri()) else {
            throw .resourceCreationFailed(path: ".well-known/core")
        }
        coap_resource_set_userdata(resource, Unmanaged.passUnretained(self).toOpaque())
        coap_register_request_handler(resource, COAP_REQUEST_GET, Self.wellKnownHandler)
        coap_add_resource(context, resource)
    }

    /// The links, filtered by a query as RFC 6690 §4.1 allows: `href=` or an
    /// attribute (`rt=`, `ct=`, `obs`), an exact value or a prefix ending in `*`.
    func wellKnownLinks(query: String) -> String {
        var links: [(href: String, attributes: [(String, String?)])] = [
            ("/ps", [("rt", "core.ps"), ("ct", "40")]),
        ]
        for path in router.aliases.keys.sorted() {
            links.append(("/\(path)", [("obs", nil)]))
        }
        let filter = WellKnownFilter(query: query)
        return links.filter { filter.accepts(href: $0.href, attributes: $0.attributes) }.map { link in
            "<\(link.href)>" + link.attributes.map { name, value in
                guard let value else { return ";\(name)" }
                return value.allSatisfy(\.isNumber) ? ";\(name)=\(value)" : ";\(name)=\"\(value)\""
            }.joined()
        }.joined(separator: ",")
    }

    static let wellKnownHandler: coap_method_handler_t = { resource, _, _, query, response in
        guard let resource, let response, let owner = coap_resource_get_userdata(resource) else { return }
        let engine = Unmanaged<CoAPEngine>.fromOpaque(owner).takeUnretainedValue()
        let text = query.map { string($0.pointee) } ?? ""
        let links = engine.wellKnownLinks(query: text)
        engine.write(CoAPResponse(.content, contentFormat: 40, payload: Array(links.utf8)), to: response)
    }
}

/// One RFC 6690 §4.1 query filter: `name=value` or `name=prefix*`.
struct WellKnownFilter {
    private var name: String?
    private var value = ""
    private var isPrefix = false

    init(query: String) {
        guard let first = query.split(separator: "&").first, !first.isEmpty else { return }
        let parts = first.split(separator: "=", maxSplits: 1)
        name = String(parts[0])
        var wanted = parts.count > 1 ? String(parts[1]) : ""
        if wanted.hasSuffix("*") {
            isPrefix = true
            wanted.removeLast()
        }
        value = wanted
    }

    func accepts(href: String, attributes: [(String, String?)]) -> Bool {
        guard let name else { return true }
        let candidates: [String] = name == "href" ? [href] : attributes.filter { $0.0 == name }.map { $0.1 ?? "" }
        return candidates.contains { isPrefix ? $0.hasPrefix(value) : $0 == value }
    }
}
