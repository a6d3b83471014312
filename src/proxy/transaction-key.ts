// Server transaction keys (RFC 3261 §17.2.3): the branch with the magic cookie plus sent-by and
// method (ACK folds into INVITE); RFC 2543 peers fall back to Call-ID, From tag, CSeq number,
// top Via and Request-URI.

import type { SipRequest } from '../sip/message.ts';
import { rfc3261Branch } from './branch.ts';

export function serverTransactionKey(req: SipRequest, method: string): string | undefined {
  const top = req.via[0];
  if (top === undefined) return undefined;
  const m = method === 'ACK' ? 'INVITE' : method;
  const sentBy = `${top.host.toLowerCase()}:${top.port ?? ''}`;
  const b = rfc3261Branch(top.branch);
  if (b !== undefined) return `${b}|${sentBy}|${m}`;
  return `2543|${req.callId ?? ''}|${req.from?.tag ?? ''}|${req.cseq?.seq ?? ''}|${sentBy}|${top.branch ?? ''}|${req.uri}|${m}`;
}

export function clientTransactionKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}
