// Warning header value for rejections: `399 <host> "<text>"` (RFC 3261 §20.43, code 399
// "Miscellaneous warning"). The text is ours, never taken from the request.

/** Escapes a text for a quoted-string (backslash and double quote). */
function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += c === '"' || c === '\\' ? '\\' + c : c;
  }
  return out + '"';
}

export function warningValue(host: string, text: string): string {
  return `399 ${host} ${quote(text)}`;
}
