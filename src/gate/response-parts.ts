// The final response a decision calls for, as parts for src/sip buildResponse(req, status, reason,
// headers). null when the edge does not answer by itself (accept: forward; pass: transaction layer).
import type { GateDecision } from './decision.ts';

export interface ResponseParts {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
}

export function responseParts(decision: GateDecision): ResponseParts | null {
  switch (decision.outcome) {
    case 'reject':
    case 'reply':
      return { status: decision.status, reason: decision.reason, headers: decision.headers };
    case 'challenge': {
      const headers: Array<[string, string]> = [];
      for (const v of decision.headerValues) headers.push([decision.headerName, v]);
      return {
        status: decision.status,
        reason: decision.status === 401 ? 'Unauthorized' : 'Proxy Authentication Required',
        headers,
      };
    }
    default:
      return null;
  }
}
