// Structural check of a SIP URI given by an operator (origination URL, sip_target): scheme, optional
// user part, host (name, IPv4 or bracketed IPv6), optional port, optional ;params. Stricter than
// RFC 3261's grammar on purpose: no headers (?...), no whitespace or control characters.
import { isIP } from 'node:net';

export const MAX_SIP_URL_LENGTH = 255;

const USER = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const PARAM = /^[A-Za-z0-9\-_.!~*'()%]+(=[A-Za-z0-9\-_.!~*'()%[\]/:&+$]*)?$/;

/** True when `text` is a SIP URI whose scheme is one of `schemes` (lowercase, without ':'). */
export function isSipUrl(text: string, schemes: readonly string[]): boolean {
  if (text.length === 0 || text.length > MAX_SIP_URL_LENGTH) return false;
  const colon = text.indexOf(':');
  if (colon < 0 || !schemes.includes(text.slice(0, colon).toLowerCase())) return false;
  let rest = text.slice(colon + 1);
  if (rest.includes('?')) return false;
  const semi = rest.indexOf(';');
  const params = semi >= 0 ? rest.slice(semi + 1).split(';') : [];
  if (semi >= 0) rest = rest.slice(0, semi);
  if (!params.every((p) => PARAM.test(p))) return false;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (!USER.test(rest.slice(0, at))) return false;
    rest = rest.slice(at + 1);
  }
  let host: string;
  let port: string | null = null;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return false;
    host = rest.slice(1, close);
    if (isIP(host) !== 6) return false;
    const tail = rest.slice(close + 1);
    if (tail !== '') {
      if (!tail.startsWith(':')) return false;
      port = tail.slice(1);
    }
  } else {
    const pc = rest.indexOf(':');
    host = pc >= 0 ? rest.slice(0, pc) : rest;
    if (pc >= 0) port = rest.slice(pc + 1);
    if (isIP(host) === 0 && (!HOSTNAME.test(host) || /^[0-9.]+$/.test(host))) return false;
  }
  if (port !== null && (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) return false;
  return true;
}
