/**
 * Headers that belong to one connection (RFC 9110 §7.6.1): never passed on by
 * the proxy, and never stored in a cassette.
 */
export const HOP_BY_HOP_HEADERS: readonly string[] = Object.freeze(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
