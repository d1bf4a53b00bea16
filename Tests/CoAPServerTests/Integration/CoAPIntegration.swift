import Testing

/// Every suite that starts a libcoap server nests here, so they run one at a
/// time: libcoap 4.3.1 keeps a few things process-wide (`coap_startup`, the log
/// level, the static buffer behind `coap_endpoint_str`).
@Suite(.serialized)
enum CoAPIntegration {}
