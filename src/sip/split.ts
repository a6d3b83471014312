// Splitting a header value on commas that are outside quoted strings and angle brackets.

/** Split `a, "b,c" <sip:d>, e` into trimmed parts; empty parts are dropped. */
export function splitList(value: string): string[] {
  // The usual single value: no scan state and a one-element array (a pushed-to empty array
  // reserves room for 17).
  if (value.indexOf(',') < 0) {
    const only = value.trim();
    return only === '' ? [] : [only];
  }
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++; // backslash escapes the next char
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) {
      inQuote = true;
    } else if (c === 0x3c) {
      inAngle = true;
    } else if (c === 0x3e) {
      inAngle = false;
    } else if (c === 0x2c && !inAngle) {
      const part = value.slice(start, i).trim();
      if (part !== '') out.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last !== '') out.push(last);
  return out;
}
