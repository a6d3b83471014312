// The typed value parseMessage returns for input it refuses. It carries the raw values of the
// headers a 400/505 answer needs, when they could be read.

/** What the parser read before it stopped (also the fields a refusal carries). */
export interface Collected {
  /** true: a request; false: a response; undefined: the start line was unreadable. */
  isRequest: boolean | undefined;
  /** Request method when the start line gave one. */
  method: string | undefined;
  /** Raw values of every Via header line, in order. */
  via: string[];
  from: string | undefined;
  to: string | undefined;
  callId: string | undefined;
  cseq: string | undefined;
}

export interface SipParseError extends Collected {
  kind: 'parse-error';
  /** Short fixed description of what was wrong (never contains input text). */
  reason: string;
  /** 505 for a well-formed but unsupported SIP version, else 400. */
  status: 400 | 505;
  /**
   * True when a response can be built: a request (not ACK) whose Via, From, To, Call-ID and
   * CSeq values were read. Otherwise the message is to be dropped.
   */
  canRespond: boolean;
}

export function isParseError(x: unknown): x is SipParseError {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'parse-error';
}

export function parseFailure(reason: string, c: Collected | undefined, status: 400 | 505 = 400): SipParseError {
  if (c === undefined) {
    return {
      kind: 'parse-error', reason, status, isRequest: undefined, method: undefined, via: [],
      from: undefined, to: undefined, callId: undefined, cseq: undefined, canRespond: false,
    };
  }
  const canRespond = c.isRequest === true && c.method !== undefined && c.method !== 'ACK' &&
    c.via.length > 0 && c.from !== undefined && c.to !== undefined && c.callId !== undefined &&
    c.cseq !== undefined;
  return {
    kind: 'parse-error', reason, status, isRequest: c.isRequest, method: c.method, via: c.via,
    from: c.from, to: c.to, callId: c.callId, cseq: c.cseq, canRespond,
  };
}
