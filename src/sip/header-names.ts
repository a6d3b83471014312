// Header names: compact forms (RFC 3261 §7.3.3 and the IANA registry) and case-insensitive keys.

const COMPACT: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

// The usual spellings of common names, mapped to their keys up front: most names met on the hot
// path are these very strings (the parser shares them, the proxy writes literals), so a lookup
// answers without the lowercase copy that toLowerCase makes.
const USUAL = [
  'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Route', 'Proxy-Require',
  'Authorization', 'Proxy-Authorization', 'Expires', 'Content-Type', 'Contact', 'Record-Route', 'Allow',
  'Allow-Events', 'Supported', 'Require', 'Accept', 'User-Agent', 'Server', 'Session-Expires', 'Min-SE',
  'Content-Disposition', 'Content-Encoding', 'Event', 'Subscription-State', 'WWW-Authenticate',
  'Proxy-Authenticate', 'P-Asserted-Identity', 'Privacy', 'Date', 'Timestamp', 'Reason', 'Refer-To',
  'Referred-By', 'Replaces', 'Unsupported', 'Warning', 'Call-Info', 'Alert-Info', 'Organization', 'Subject',
  'Accept-Language', 'Accept-Encoding', 'Retry-After', 'Path', 'RSeq', 'RAck', 'Diversion', 'Remote-Party-ID',
  'Call-Id', 'Cseq', 'CSEQ', 'Max-forwards', 'Content-length', 'Content-type', 'Record-route',
];
// Name as written → key. V8 keeps a string's hash with the string, so a name the parser shares is
// found by a hash already computed and a pointer comparison.
const KEYS = new Map<string, string>();
for (const n of USUAL) {
  KEYS.set(n, n.toLowerCase());
  KEYS.set(n.toLowerCase(), n.toLowerCase());
}
for (const [c, long] of Object.entries(COMPACT)) {
  KEYS.set(c, long);
  KEYS.set(c.toUpperCase(), long);
}

/** Lowercase long name of a header: `headerKey('i') === 'call-id'`, `headerKey('CSeq') === 'cseq'`. */
export function headerKey(name: string): string {
  const listed = KEYS.get(name);
  if (listed !== undefined) return listed;
  // Not listed (compact forms are, in both cases): a name with no upper-case or non-ASCII char is
  // its own lowercase form.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return name.toLowerCase();
  }
  return name;
}

/**
 * Headers whose values are comma-separated lists that may be split into separate values
 * (RFC 3261 §7.3.1). Authorization-like headers and Date are never split.
 */
const LIST_HEADERS = new Set([
  'via', 'contact', 'route', 'record-route', 'path', 'service-route', 'allow', 'supported',
  'require', 'proxy-require', 'unsupported', 'accept', 'accept-encoding', 'accept-language',
  'content-encoding', 'allow-events', 'alert-info', 'call-info', 'error-info', 'in-reply-to',
  'warning', 'accept-contact', 'reject-contact', 'request-disposition', 'security-client',
  'security-server', 'security-verify', 'p-asserted-identity', 'p-preferred-identity', 'reason',
]);

/** True for a header (given by key) whose comma-separated values may be split. */
export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}
