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
// An open-addressing table (linear probing) hashed on the length and a few chars: a listed name
// is found with one or two string comparisons (a pointer comparison when it is the very string
// listed, as the parser's shared names are), an unlisted one usually with one.
const SLOTS = 2048;
const slotName: string[] = new Array<string>(SLOTS).fill('');
const slotKey: string[] = new Array<string>(SLOTS).fill('');
function slot(name: string): number {
  const n = name.length;
  return (n * 97 + name.charCodeAt(0) * 31 + name.charCodeAt(n > 1 ? 1 : 0) * 11 +
    name.charCodeAt(n - 1) * 7 + name.charCodeAt(n >> 1)) & (SLOTS - 1);
}
function addKey(name: string, key: string): void {
  let k = slot(name);
  while (slotName[k] !== '') {
    if (slotName[k] === name) return;
    k = (k + 1) & (SLOTS - 1);
  }
  slotName[k] = name;
  slotKey[k] = key;
}
for (const n of USUAL) addKey(n, n.toLowerCase());
for (const n of USUAL) addKey(n.toLowerCase(), n.toLowerCase());
for (const [c, long] of Object.entries(COMPACT)) {
  addKey(c, long);
  addKey(c.toUpperCase(), long);
}

/** Lowercase long name of a header: `headerKey('i') === 'call-id'`, `headerKey('CSeq') === 'cseq'`. */
export function headerKey(name: string): string {
  if (name.length === 0) return name;
  for (let k = slot(name); ; k = (k + 1) & (SLOTS - 1)) {
    const listed = slotName[k]!;
    if (listed === name) return slotKey[k]!;
    if (listed === '') break;
  }
  // A name with no upper-case or non-ASCII char is its own lowercase form.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return lowerKey(name);
  }
  if (name.length === 1) return COMPACT[name] ?? name;
  return name;
}

function lowerKey(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) return COMPACT[lower] ?? lower;
  return lower;
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
