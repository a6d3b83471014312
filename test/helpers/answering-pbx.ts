// A minimal UDP "PBX" on loopback for end-to-end tests: answers every INVITE with one fixed final
// status (so an accepted call is recognisable by that status), ignores ACKs, counts INVITEs, and
// remembers the headers of what reached it.

import { createSocket } from 'node:dgram';

export interface AnsweringPbx {
  port: number;
  /** Distinct INVITE transactions received (retransmissions not counted). */
  invites(): number;
  /** Text of every distinct INVITE received. */
  received(): string[];
  close(): Promise<void>;
}

/**
 * `delayMs`: how long each INVITE waits for its answer (a call in progress meanwhile);
 * `ringing`: how many 180 Ringing responses go before the final one.
 */
export async function startAnsweringPbx(status = 486, reason = 'Busy Here', delayMs = 0, ringing = 0): Promise<AnsweringPbx> {
  const socket = createSocket('udp4');
  const seen = new Map<string, string>();
  socket.on('error', () => {});
  socket.on('message', (data, rinfo) => {
    const text = data.toString('latin1');
    if (!text.startsWith('INVITE ')) return;
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    const lines = head.split('\r\n');
    const pick = (name: string): string[] => lines.filter((l) => l.toLowerCase().startsWith(name + ':'));
    const branch = /branch=([^;,\s]+)/.exec(pick('via')[0] ?? '')?.[1] ?? '';
    if (!seen.has(branch)) seen.set(branch, text);
    const to = pick('to')[0] ?? 'To: <sip:x@x>';
    const response = (statusLine: string): Buffer => Buffer.from([
      `SIP/2.0 ${statusLine}`,
      ...pick('via'),
      ...pick('from'),
      to.includes('tag=') ? to : `${to};tag=pbx${seen.size}`,
      ...pick('call-id'),
      ...pick('cseq'),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'), 'latin1');
    const answers = [...Array.from({ length: ringing }, () => response('180 Ringing')), response(`${status} ${reason}`)];
    const send = (): void => {
      try {
        for (const answer of answers) socket.send(answer, rinfo.port, rinfo.address);
      } catch {
        // closed meanwhile
      }
    };
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    invites: () => seen.size,
    received: () => [...seen.values()],
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
