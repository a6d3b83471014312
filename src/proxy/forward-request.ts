// Building the copy of a request the proxy sends downstream (RFC 3261 §16.6 steps 1-8), as a pure
// function over the message model: new Request-URI, Max-Forwards decremented, Record-Route and Via
// added, our realm's Proxy-Authorization removed, X-Edge-* replaced.

import { headerKey } from '../sip/header-names.ts';
import { getRequestUri } from '../sip/message.ts';
import type { SipHeader, SipRequest } from '../sip/message.ts';
import { formatUri } from '../sip/uri.ts';
import type { SipUri, TelUri } from '../sip/uri.ts';
import { credentialsRealm, isEdgeHeader } from './header-edit.ts';

export interface ForwardEdits {
  /** New Request-URI (undefined: keep it). */
  requestUri?: string;
  /** Our Via value, e.g. "SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-e...". */
  via: string;
  /** Record-Route values to add on top (first = topmost), e.g. ["<sip:203.0.113.5:5060;lr;ert=...>"]. */
  recordRoute?: string[];
  /** Proxy-Authorization / Authorization lines for this realm are consumed and removed. */
  realm?: string;
  /** Headers added after stripping every incoming X-Edge-* header. */
  edgeHeaders?: Array<[string, string]>;
  /** Replaces all Route lines (after popping our own entries); undefined: keep them. */
  routes?: SipHeader[];
}

/**
 * The Request-URI to use for a configured target (`target`, parsed as `t`): a target with a user
 * part is used as it is; otherwise the incoming user part is kept and host, port and parameters
 * come from the target.
 */
export function targetRequestUri(req: SipRequest, t: SipUri | TelUri | null, target: string): string {
  if (t === null || t.scheme === 'tel' || t.user !== undefined) return target;
  const i = getRequestUri(req);
  if (i === null || i.scheme === 'tel' || i.user === undefined) return target;
  return formatUri({ ...t, user: i.user, password: undefined });
}

/**
 * The wire bytes of serializeMessage(forwardRequest(req, edits)), written in one pass without the
 * intermediate message. `firstVia`, when given, replaces the value of the first Via header line
 * (the received request's top Via stamped with received/rport: see via-stamp.ts).
 */
export function forwardRequestBytes(req: SipRequest, edits: ForwardEdits, firstVia?: string): Buffer {
  let s = `${req.method} ${edits.requestUri ?? req.uri} ${req.version}\r\nVia: ${edits.via}\r\n`;
  if (edits.recordRoute !== undefined) for (const rr of edits.recordRoute) s += `Record-Route: ${rr}\r\n`;
  let sawVia = false;
  let sawMaxForwards = false;
  let sawLength = false;
  let routesPlaced = false;
  const body = req.body;
  for (const h of req.headers) {
    const key = headerKey(h.name);
    switch (key) {
      case 'via':
        if (!sawVia) {
          sawVia = true;
          s += `${h.name}: ${firstVia ?? h.value}\r\n`;
          continue;
        }
        break;
      case 'max-forwards':
        if (sawMaxForwards) continue;
        sawMaxForwards = true;
        s += `${h.name}: ${Math.max(0, (req.maxForwards ?? 70) - 1)}\r\n`;
        continue;
      case 'proxy-authorization':
      case 'authorization':
        if (edits.realm !== undefined && credentialsRealm(h.value) === edits.realm) continue;
        break;
      case 'route':
        if (edits.routes !== undefined) {
          if (!routesPlaced) for (const r of edits.routes) s += `${r.name}: ${r.value}\r\n`;
          routesPlaced = true;
          continue;
        }
        break;
      case 'content-length':
        if (sawLength) continue;
        sawLength = true;
        s += `${h.name}: ${body.length}\r\n`;
        continue;
    }
    if (isEdgeHeader(h.name)) continue;
    s += `${h.name}: ${h.value}\r\n`;
  }
  if (!sawMaxForwards) s += 'Max-Forwards: 70\r\n';
  if (edits.routes !== undefined && !routesPlaced) for (const r of edits.routes) s += `${r.name}: ${r.value}\r\n`;
  if (edits.edgeHeaders !== undefined) for (const [name, value] of edits.edgeHeaders) s += `${name}: ${value}\r\n`;
  if (!sawLength) s += `Content-Length: ${body.length}\r\n`;
  s += '\r\n';
  const headLength = Buffer.byteLength(s, 'latin1');
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(s, 0, 'latin1');
  body.copy(out, headLength);
  return out;
}

export function forwardRequest(req: SipRequest, edits: ForwardEdits): SipRequest {
  const headers: SipHeader[] = [{ name: 'Via', value: edits.via }];
  if (edits.recordRoute !== undefined) for (const rr of edits.recordRoute) headers.push({ name: 'Record-Route', value: rr });
  let sawMaxForwards = false;
  let routesPlaced = false;
  for (const h of req.headers) {
    const key = headerKey(h.name);
    if (key === 'max-forwards') {
      if (sawMaxForwards) continue;
      sawMaxForwards = true;
      const n = req.maxForwards ?? 70;
      headers.push({ name: h.name, value: String(Math.max(0, n - 1)) });
      continue;
    }
    if ((key === 'proxy-authorization' || key === 'authorization') && edits.realm !== undefined) {
      if (credentialsRealm(h.value) === edits.realm) continue;
    }
    if (key === 'route' && edits.routes !== undefined) {
      if (!routesPlaced) headers.push(...edits.routes);
      routesPlaced = true;
      continue;
    }
    if (isEdgeHeader(h.name)) continue;
    headers.push(h);
  }
  if (!sawMaxForwards) headers.push({ name: 'Max-Forwards', value: '70' });
  if (edits.routes !== undefined && !routesPlaced) headers.push(...edits.routes);
  if (edits.edgeHeaders !== undefined) for (const [name, value] of edits.edgeHeaders) headers.push({ name, value });
  return { ...req, uri: edits.requestUri ?? req.uri, headers };
}
