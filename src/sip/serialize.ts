// Writing a message: start line, headers in order, a Content-Length that matches the body.

import { headerKey } from './header-names.ts';
import type { SipMessage } from './message.ts';

/**
 * Serialize a message to wire bytes. Header values are written byte for byte (latin1).
 * Every Content-Length line is rewritten to the body's length; one is appended when absent.
 */
export function serializeMessage(msg: SipMessage): Buffer {
  let s = msg.type === 'request'
    ? `${msg.method} ${msg.uri} ${msg.version}\r\n`
    : `${msg.version} ${msg.status} ${msg.reason}\r\n`;
  let hasLength = false;
  for (const h of msg.headers) {
    const c0 = h.name.charCodeAt(0) | 0x20;
    if ((c0 === 0x6c || c0 === 0x63) && headerKey(h.name) === 'content-length') {
      if (hasLength) continue;
      hasLength = true;
      s += `${h.name}: ${msg.body.length}\r\n`;
    } else {
      s += `${h.name}: ${h.value}\r\n`;
    }
  }
  if (!hasLength) s += `Content-Length: ${msg.body.length}\r\n`;
  s += '\r\n';
  // latin1: one byte per char, so the head is s.length bytes
  if (msg.body.length === 0) return Buffer.from(s, 'latin1');
  const out = Buffer.allocUnsafe(s.length + msg.body.length);
  out.write(s, 0, 'latin1');
  out.set(msg.body, s.length);
  return out;
}
