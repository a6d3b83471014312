// Route checks that keep the edge from being an open relay (SPEC §4.7). In-dialog requests pass
// only when the top Route is our Record-Route with a valid token; out-of-dialog requests may carry
// pre-loaded Routes to us (popped), but never a Route to anyone else.

import type { NameAddr, SipRequest } from '../sip/message.ts';
import { parseUri } from '../sip/uri.ts';
import type { SipUri } from '../sip/uri.ts';
import { ROUTE_TOKEN_PARAM, routeTokenDirection } from './route-token.ts';
import type { RouteTokenKey } from './route-token.ts';
import type { PeerTransport } from './types.ts';

export interface LocalAddress {
  /** Host names and addresses this edge answers to, lowercase (IPv6 with brackets). */
  hosts: ReadonlySet<string>;
  port: number;
}

/** URI parameter of our caller-facing Record-Route naming the caller's TCP flow (address:port). */
export const FLOW_PARAM = 'fl';

export type InDialogRoute =
  | {
      ok: true;
      remaining: NameAddr[];
      next: string;
      /** `next` parsed (callers need not parse it again). */
      nextUri: SipUri;
      transport: PeerTransport;
      /** The request goes callee → caller (the token was signed for the To tag). */
      towardsCaller: boolean;
      /** Towards a caller that reached us over TCP: its connection's address and port. */
      flow?: { address: string; port: number };
    }
  | { ok: false; status: 403 | 404; reason: string };

function sipUri(text: string): SipUri | null {
  const u = parseUri(text);
  return u === null || u.scheme === 'tel' ? null : u;
}

export function uriTransport(u: SipUri): PeerTransport {
  const t = u.params.get('transport');
  if (typeof t === 'string') return t.toLowerCase() === 'udp' ? 'udp' : 'tcp';
  return u.scheme === 'sips' ? 'tcp' : 'udp';
}

export function isLocalUri(u: SipUri, local: LocalAddress): boolean {
  return local.hosts.has(u.host.toLowerCase()) && (u.port ?? (u.scheme === 'sips' ? 5061 : 5060)) === local.port;
}

function ourSignedRoute(r: NameAddr, key: RouteTokenKey, req: SipRequest): { uri: SipUri; dir: 'from' | 'to' } | null {
  const u = sipUri(r.uri);
  if (u === null) return null;
  const token = u.params.get(ROUTE_TOKEN_PARAM);
  if (typeof token !== 'string' || req.callId === undefined) return null;
  const dir = routeTokenDirection(key, token, req.callId, req.from?.tag, req.to?.tag);
  return dir === null ? null : { uri: u, dir };
}

/** "1.2.3.4:5060" or "[::1]:5060" → address and port. */
export function parseFlow(text: string): { address: string; port: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  let address = text.slice(0, colon);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535 || address === '') return undefined;
  return { address, port };
}

export function formatFlow(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Decides where an in-dialog request (To tag present) goes, or why it is refused. */
export function routeInDialog(req: SipRequest, key: RouteTokenKey): InDialogRoute {
  const routes = req.route;
  if (routes.length === 0) return { ok: false, status: 404, reason: 'Not Found' };
  const first = ourSignedRoute(routes[0]!, key, req);
  if (first === null) return { ok: false, status: 403, reason: 'Forbidden' };
  let popped = 1;
  let last = first.uri;
  // Double record-routing (transport change): our second entry follows directly.
  if (routes.length > 1) {
    const second = ourSignedRoute(routes[1]!, key, req);
    if (second !== null) {
      popped = 2;
      last = second.uri;
    }
  }
  const remaining = routes.slice(popped);
  const nextText = remaining.length > 0 ? remaining[0]!.uri : req.uri;
  const next = sipUri(nextText);
  if (next === null) return { ok: false, status: 404, reason: 'Not Found' };
  // Towards the caller over TCP: back on the caller's own connection, whatever its Contact says.
  const flowText = last.params.get(FLOW_PARAM);
  if (first.dir === 'to' && remaining.length === 0 && typeof flowText === 'string') {
    const flow = parseFlow(flowText);
    if (flow !== undefined) return { ok: true, remaining, next: nextText, nextUri: next, transport: 'tcp', towardsCaller: true, flow };
  }
  const transport = next.params.has('transport') ? uriTransport(next) : uriTransport(last);
  return { ok: true, remaining, next: nextText, nextUri: next, transport, towardsCaller: first.dir === 'to' };
}

/** Out-of-dialog: Routes naming this edge are popped; undefined when a foreign Route remains. */
export function popLocalRoutes(req: SipRequest, local: LocalAddress): NameAddr[] | undefined {
  let i = 0;
  while (i < req.route.length) {
    const u = sipUri(req.route[i]!.uri);
    if (u === null || !isLocalUri(u, local)) break;
    i++;
  }
  return i === req.route.length ? [] : undefined;
}
