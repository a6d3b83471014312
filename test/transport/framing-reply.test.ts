import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { framingErrorReply } from '../../src/transport/framing-reply.ts';
import { repoRoot } from '../helpers/edge-process.ts';

const corpus = (name: string): Buffer => readFileSync(join(repoRoot, '../shared/conformance/rfc4475', name));

function headerBlock(message: Buffer): Buffer {
  return message.subarray(0, message.indexOf('\r\n\r\n') + 4);
}

const invite =
  'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK-fr\r\nMax-Forwards: 70\r\n' +
  'From: <sip:a@example.com>;tag=9\r\nTo: <sip:bob@example.com>\r\nCall-ID: fr-1\r\nCSeq: 1 INVITE\r\n';

describe('framingErrorReply', () => {
  it('answers a cut message (RFC 4475 clerr over TCP) with 400 carrying its transaction headers', () => {
    const reply = framingErrorReply('truncated', corpus('clerr.dat'))?.toString('latin1');
    expect(reply?.startsWith('SIP/2.0 400 ')).toBe(true);
    expect(reply).toContain('Call-ID: clerr.0ha0isndaksdjweiafasdk3\r\n');
    expect(reply).toContain('Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523\r\n');
    expect(reply).toContain('CSeq: 8 INVITE\r\n');
  });

  it.each([
    ['content-length-invalid', 'ncl.dat'],
    ['content-length-conflict', 'mcl01.dat'],
  ] as const)('answers %s (%s) with 400', (kind, file) => {
    const reply = framingErrorReply(kind, headerBlock(corpus(file)))?.toString('latin1');
    expect(reply?.startsWith('SIP/2.0 400 ')).toBe(true);
  });

  it('answers an endless header block from the complete lines it has', () => {
    const partial = Buffer.from(invite + 'X-Endless: ' + 'e'.repeat(200) + '\r\nX-Cut: abc', 'latin1');
    const reply = framingErrorReply('header-too-large', partial)?.toString('latin1');
    expect(reply?.startsWith('SIP/2.0 400 Bad Request (Header block too large)\r\n')).toBe(true);
    expect(reply).toContain('Call-ID: fr-1\r\n');
    expect(reply).not.toContain('X-Endless');
  });

  it('stays silent when too little is known, for ACK, and for responses', () => {
    expect(framingErrorReply('header-too-large', Buffer.alloc(20000, 0x41))).toBeNull();
    expect(framingErrorReply('truncated', null)).toBeNull();
    expect(framingErrorReply('truncated', Buffer.from('GARBAGE\r\n\r\n'))).toBeNull();
    expect(framingErrorReply('truncated', Buffer.from(invite.replaceAll('INVITE', 'ACK') + 'Content-Length: 10\r\n\r\nab'))).toBeNull();
    expect(
      framingErrorReply('truncated', Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 50\r\n\r\n')),
    ).toBeNull();
  });
});
