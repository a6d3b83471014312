// Loop detection (RFC 3261 §16.3 step 4): a request carrying one of our Vias whose branch holds the
// same loop hash as the request now would be forwarded identically again: a loop, not a spiral.

import type { SipRequest } from '../sip/message.ts';
import { loopHashInBranch, loopHashOf } from './branch.ts';

export function loopHashFor(req: SipRequest): string {
  const routes = req.route.map((r) => r.uri).join(',');
  return loopHashOf([req.uri, req.from?.tag ?? '', req.to?.tag ?? '', req.callId ?? '', String(req.cseq?.seq ?? ''), routes, req.proxyRequire.join(',')]);
}

/**
 * hostLower: our advertised host, lowercase (IPv6 in brackets). ports: the ports our Vias carry (the
 * SIP port, plus a worker's own outbound UDP port when it has one).
 */
export function isLoop(req: SipRequest, loopHash: string, hostLower: string, ports: number | readonly number[]): boolean {
  for (const v of req.via) {
    const p = v.port ?? 5060;
    const ours = typeof ports === 'number' ? p === ports : ports.includes(p);
    if (ours && v.host.toLowerCase() === hostLower && loopHashInBranch(v.branch) === loopHash) return true;
  }
  return false;
}
