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

/** Lowercase long name of a header: `headerKey('i') === 'call-id'`, `headerKey('CSeq') === 'cseq'`. */
export function headerKey(name: string): string {
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
