// Loop detection (RFC 3261 §16.3 step 4): a request carrying one of our Vias whose branch holds the
// same loop hash as the request now would be forwarded identically again: a loop, not a spiral.

import type { SipRequest } from '../sip/message.ts';
import { loopHashInBranch } from './branch.ts';
import { streamHash } from '../sip/fast-hash.ts';

/**
 * A hash over the fields that stay the same when a request loops back unchanged: Request-URI, tags,
 * Call-ID, CSeq number, Route URIs and Proxy-Require, streamed into one hash (no joined strings).
 */
export function loopHashFor(req: SipRequest): string {
  const h = streamHash.begin(3);
  h.add(req.uri).addCode(10);
  h.add(req.from?.tag ?? '').addCode(10);
  h.add(req.to?.tag ?? '').addCode(10);
  h.add(req.callId ?? '').addCode(10);
  // The CSeq number as a value (two lanes' worth: it may exceed 2^31), or a marker when absent.
  const seq = req.cseq?.seq;
  if (seq === undefined) h.addCode(-1);
  else h.addCode(seq | 0).addCode(Math.floor(seq / 4294967296) | 0);
  h.addCode(10);
  for (let i = 0; i < req.route.length; i++) h.add(req.route[i]!.uri).addCode(44);
  h.addCode(10);
  for (let i = 0; i < req.proxyRequire.length; i++) h.add(req.proxyRequire[i]!).addCode(44);
  return h.hex16();
}

/**
 * True when a Via of ours (our host and one of our ports) carries a branch with this request's
 * loop hash. The hash is computed only when such a Via is there: most requests never need it.
 * hostLower: our advertised host, lowercase (IPv6 in brackets). ports: the ports our Vias carry (the
 * SIP port, plus a worker's own outbound UDP port when it has one).
 */
export function isLoop(req: SipRequest, hostLower: string, ports: readonly number[]): boolean {
  let loopHash: string | undefined;
  for (const v of req.via) {
    if (!ports.includes(v.port ?? 5060) || v.host.toLowerCase() !== hostLower) continue;
    const carried = loopHashInBranch(v.branch);
    if (carried !== undefined && carried === (loopHash ??= loopHashFor(req))) return true;
  }
  return false;
}
