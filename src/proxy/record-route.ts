// Our Record-Route entries (RFC 3261 §16.6 step 4; double record-routing when the call changes
// transport, RFC 5658): each URI carries the signed token, and the caller-facing one names the
// caller's TCP flow so requests towards the caller can go back on its connection.

import { FLOW_PARAM, formatFlow } from './dialog-route.ts';
import { ROUTE_TOKEN_PARAM, signRouteToken } from './route-token.ts';
import type { RouteTokenKey } from './route-token.ts';
import type { Peer, PeerTransport } from './types.ts';

export interface RecordRouteInput {
  /** Our host (IPv6 in brackets) and port. */
  host: string;
  port: number;
  key: RouteTokenKey;
  callId: string;
  fromTag: string;
  /** The caller's socket (transport, address, port). */
  source: Peer;
  /** Transport towards the next hop. */
  outbound: PeerTransport;
}

function entry(i: RecordRouteInput, token: string, transport: PeerTransport, callerFacing: boolean): string {
  const flow = callerFacing && i.source.transport === 'tcp' ? `;${FLOW_PARAM}=${formatFlow(i.source.address, i.source.port)}` : '';
  return `<sip:${i.host}:${i.port}${transport === 'tcp' ? ';transport=tcp' : ''};lr;${ROUTE_TOKEN_PARAM}=${token}${flow}>`;
}

/** Record-Route values, topmost first (the entry facing the next hop, then the caller-facing one). */
export function recordRoutes(i: RecordRouteInput): string[] {
  const token = signRouteToken(i.key, i.callId, i.fromTag);
  const inbound = i.source.transport;
  if (inbound === i.outbound) return [entry(i, token, inbound, true)];
  return [entry(i, token, i.outbound, false), entry(i, token, inbound, true)];
}
