internal import CLibCoAP

extension CoAPEngine {
    /// The methods `/ps/{topic}` answers itself, refusals included, so that
    /// libcoap never answers for it (it would send 2.02 to an unhandled DELETE).
    private static let handledMethods: [coap_request_t] = [
        COAP_REQUEST_GET, COAP_REQUEST_POST, COAP_REQUEST_DELETE,
        COAP_REQUEST_FETCH, COAP_REQUEST_PATCH, COAP_REQUEST_IPATCH,
    ]

    /// Adds `/ps` (listed in `/.well-known/core`, which libcoap answers itself),
    /// the unknown-path resource that serves every `/ps/{topic}`, and one
    /// resource per configured alias.
    ///
    /// Topics are not known in advance, so one handler on libcoap's "unknown
    /// resource" takes every path that is not a registered resource and sorts
    /// them out (`PubSubRouter`: 4.04 outside `/ps/`).
    func addResources(to context: OpaquePointer) throws(CoAPServerError) {
        let owner = Unmanaged.passUnretained(self).toOpaque()

        guard let unknown = coap_resource_unknown_init2(Self.methodHandler, 0) else {
            throw .resourceCreationFailed(path: "ps/{topic}")
        }
        coap_resource_set_userdata(unknown, owner)
        for method in Self.handledMethods {
            coap_register_request_handler(unknown, method, Self.methodHandler)
        }
        coap_add_resource(context, unknown)
        unknownResource = unknown

        // The URI must outlive the resource: a libcoap-allocated copy that the
        // resource frees with itself (COAP_RESOURCE_FLAGS_RELEASE_URI).
        guard let uri = Self.newString("ps"),
              let collection = coap_resource_init(uri, perch_coap_resource_flags_release_uri()) else {
            throw .resourceCreationFailed(path: "ps")
        }
        // draft-ietf-core-coap-pubsub: the function set's entry point.
        addAttribute("rt", value: "\"core.ps\"", to: collection)
        addAttribute("ct", value: "40", to: collection)
        coap_add_resource(context, collection)
        try addWellKnownCore(to: context)

        // Aliases are real resources, so `/.well-known/core` lists them; they
        // share the handler, which maps their path to the topic.
        for path in configuration.aliases.keys.sorted() {
            try addAliasResource(path: path, to: context)
        }
    }

    /// The resource of one alias: observable, every method to the handler.
    private func addAliasResource(path: String, to context: OpaquePointer) throws(CoAPServerError) {
        guard let uri = Self.newString(path),
              let alias = coap_resource_init(uri, perch_coap_resource_flags_release_uri()) else {
            throw .resourceCreationFailed(path: path)
        }
        coap_resource_set_userdata(alias, Unmanaged.passUnretained(self).toOpaque())
        for method in Self.handledMethods + [COAP_REQUEST_PUT] {
            coap_register_request_handler(alias, method, Self.methodHandler)
        }
        // Its topic may depend on the client (`${clientid}`): mapped when observed.
        coap_resource_set_get_observable(alias, 1)
        coap_add_resource(context, alias)
        aliasResources[path] = alias
    }

    /// New `coap.resources` while serving (reload): an alias gone, or whose
    /// topic changed, has its resource deleted (libcoap tells its observers
    /// 4.04, RFC 7641 §3.2, and their upstream subscriptions are released); a
    /// new or changed one gets a resource. `/.well-known/core` follows, since
    /// libcoap builds it from the resources. Returns whether anything changed.
    func reconfigureAliases(_ aliases: [String: String]) -> Bool {
        let old = router.aliases
        guard aliases != old else { return false }
        router.aliases = aliases
        guard let context else { return true }
        for (path, topic) in old where aliases[path] != topic {
            guard let resource = aliasResources.removeValue(forKey: path) else { continue }
            for topic in observers.removeResource(UInt(bitPattern: resource)) {
                changeSubscription(.unsubscribe(topic))
            }
            for topic in topicResources.keys {
                topicResources[topic]?.removeAll { $0 == resource }
                if topicResources[topic]?.isEmpty == true { topicResources.removeValue(forKey: topic) }
            }
            _ = coap_delete_resource(context, resource)
        }
        for (path, topic) in aliases.sorted(by: { $0.key < $1.key }) where old[path] != topic {
            do throws(CoAPServerError) {
                try addAliasResource(path: path, to: context)
            } catch {
                logger.error("CoAP: the alias cannot be served", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        return true
    }

    /// A resource of its own for `ps/{topic}`, so it can be observed; it serves
    /// every method exactly as the unknown resource did.
    func addTopicResource(path: String, to context: OpaquePointer) -> OpaquePointer? {
        guard let uri = Self.newString(path),
              let resource = coap_resource_init(uri, perch_coap_resource_flags_release_uri()) else { return nil }
        coap_resource_set_userdata(resource, Unmanaged.passUnretained(self).toOpaque())
        for method in Self.handledMethods + [COAP_REQUEST_PUT] {
            coap_register_request_handler(resource, method, Self.methodHandler)
        }
        coap_add_resource(context, resource)
        return resource
    }

    /// A `coap_str_const_t` that libcoap owns (freed by whatever it is given to).
    static func newString(_ text: String) -> UnsafeMutablePointer<coap_str_const_t>? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { coap_new_str_const($0.baseAddress, $0.count) }
    }

    private func addAttribute(_ name: String, value: String, to resource: OpaquePointer) {
        guard let name = Self.newString(name), let value = Self.newString(value) else { return }
        // The attribute frees both strings with itself.
        _ = coap_add_attr(resource, name, value, COAP_ATTR_FLAGS_RELEASE_NAME | COAP_ATTR_FLAGS_RELEASE_VALUE)
    }

    /// The C handler for every method: a non-capturing trampoline that finds
    /// its engine in the resource's user data. libcoap calls it from
    /// `coap_io_process`, on the engine's queue.
    static let methodHandler: coap_method_handler_t = { resource, session, request, query, response in
        guard let resource, let session, let request, let response,
              let owner = coap_resource_get_userdata(resource) else { return }
        // The engine frees the context (and so every resource) before it goes away.
        let engine = Unmanaged<CoAPEngine>.fromOpaque(owner).takeUnretainedValue()
        engine.handle(resource: resource, session: session, request: request, query: query, response: response)
    }
}
