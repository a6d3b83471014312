// v2010 dates: RFC 2822 in UTC with a numeric zone, e.g. "Mon, 23 Nov 2026 12:00:00 +0000".
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}
