// Requests the proxy generates towards a downstream branch (RFC 3261 §9.1 and §17.1.1.3): the
// CANCEL of a pending INVITE and the hop-by-hop ACK of a non-2xx final response. Both reuse the
// forwarded INVITE's Request-URI, Call-ID, From, CSeq number, Route set and our (single) Via.

import { headerKey } from '../sip/header-names.ts';
import type { SipHeader, SipRequest, SipResponse } from '../sip/message.ts';

function copy(out: SipRequest, method: string, toValue: string | undefined): SipRequest {
  const headers: SipHeader[] = [];
  let viaDone = false;
  for (const h of out.headers) {
    const key = headerKey(h.name);
    if (key === 'via') {
      if (!viaDone) headers.push({ name: 'Via', value: h.value }); // ours is always the first line
      viaDone = true;
    } else if (key === 'from' || key === 'call-id' || key === 'route') {
      headers.push(h);
    } else if (key === 'to') {
      headers.push({ name: h.name, value: toValue ?? h.value });
    } else if (key === 'cseq') {
      headers.push({ name: h.name, value: `${out.cseq?.seq ?? 1} ${method}` });
    }
  }
  headers.push({ name: 'Max-Forwards', value: '70' });
  return {
    ...out,
    method,
    headers,
    body: Buffer.alloc(0),
    cseq: { seq: out.cseq?.seq ?? 1, method },
    contentLength: 0,
  };
}

export function buildCancel(forwardedInvite: SipRequest): SipRequest {
  return copy(forwardedInvite, 'CANCEL', undefined);
}

export function buildNon2xxAck(forwardedInvite: SipRequest, response: SipResponse): SipRequest {
  let to: string | undefined;
  for (const h of response.headers) {
    if (headerKey(h.name) === 'to') {
      to = h.value;
      break;
    }
  }
  return copy(forwardedInvite, 'ACK', to);
}
