// Size and count caps applied by the parser. Every input beyond one of these is refused with a
// typed parse error, so no single message can make the parser allocate or loop without bound.

/** Largest message (start line + headers + body) accepted by parseMessage. */
export const MAX_MESSAGE_BYTES = 65_535;
/** Largest header block: start line through the blank line that ends the headers. */
export const MAX_HEADER_BLOCK_BYTES = 16_384;
/** Most header lines in one message. */
export const MAX_HEADER_COUNT = 128;
/** Most header lines looked at, well-formed or not (bounds the work on garbage). */
export const MAX_HEADER_LINES = 2 * MAX_HEADER_COUNT;
/** Most continuation (folded) lines in one message; real traffic rarely folds at all. */
export const MAX_FOLDED_LINES = 256;
/** Longest single header value, after folding is undone. */
export const MAX_HEADER_VALUE_BYTES = 8_192;
/** Largest body (and so the largest Content-Length). */
export const MAX_BODY_BYTES = 65_535;
/** Most Via hops in one message. */
export const MAX_VIA_HOPS = 64;
/** Largest CSeq sequence number and Expires value (RFC 3261 §8.1.1.5, §20.19). */
export const MAX_UINT32 = 4_294_967_295;
/** Largest Max-Forwards (RFC 3261 §20.22). */
export const MAX_FORWARDS_LIMIT = 255;
