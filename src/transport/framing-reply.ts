// The answer to a TCP message that cannot be framed (bad or oversized Content-Length, a stream cut
// inside a message, an endless header block): a 400 built from whatever of the message is readable,
// or null when too little is known to answer. The reason text is fixed, never taken from the input.

import type { FramingError } from './framer.ts';
import { isParseError } from '../sip/parse-error.ts';
import { parseMessage } from '../sip/parse.ts';
import { buildParseErrorResponse, responseBytes } from '../sip/response.ts';

const REASONS: Record<FramingError, string> = {
  'header-too-large': 'Header block too large',
  'content-length-invalid': 'Bad Content-Length',
  'content-length-conflict': 'Conflicting Content-Length',
  'body-too-large': 'Body too large',
  truncated: 'Message cut short',
};

const CRLF = Buffer.from('\r\n', 'latin1');

/** An endless header block, cut after its last complete line and closed, to read what it says. */
function closeHeaderBlock(partial: Buffer): Buffer | null {
  const lastLineEnd = partial.lastIndexOf(CRLF);
  if (lastLineEnd < 0) return null;
  return Buffer.concat([partial.subarray(0, lastLineEnd + 2), CRLF]);
}

export function framingErrorReply(kind: FramingError, partial: Buffer | null): Buffer | null {
  const readable = partial !== null && kind === 'header-too-large' ? closeHeaderBlock(partial) : partial;
  if (readable === null) return null;
  const reason = REASONS[kind];
  const parsed = parseMessage(readable);
  if (isParseError(parsed)) return buildParseErrorResponse({ ...parsed, status: 400, reason });
  if (parsed.type !== 'request' || parsed.method === 'ACK') return null;
  return responseBytes(parsed, 400, `Bad Request (${reason})`);
}
