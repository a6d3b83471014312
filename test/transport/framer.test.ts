import { describe, expect, it } from 'vitest';
import { StreamFramer } from '../../src/transport/framer.ts';
import type { FrameSink, FramingError } from '../../src/transport/framer.ts';
import { seededRandom } from '../helpers/prng.ts';

interface Recorded {
  messages: string[];
  pings: number;
  errors: Array<{ kind: FramingError; partial: string | null }>;
}

function recorder(): { sink: FrameSink; seen: Recorded } {
  const seen: Recorded = { messages: [], pings: 0, errors: [] };
  const sink: FrameSink = {
    message: (frame) => seen.messages.push(frame.toString('latin1')),
    ping: () => seen.pings++,
    error: (kind, partial) => seen.errors.push({ kind, partial: partial === null ? null : partial.toString('latin1') }),
  };
  return { sink, seen };
}

function request(callId: string, body = ''): string {
  return (
    'INVITE sip:bob@example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK' + callId + '\r\n' +
    'Max-Forwards: 70\r\n' +
    'From: <sip:alice@example.com>;tag=1\r\n' +
    'To: <sip:bob@example.com>\r\n' +
    'Call-ID: ' + callId + '\r\n' +
    'CSeq: 1 INVITE\r\n' +
    'Content-Type: application/sdp\r\n' +
    'Content-Length: ' + Buffer.byteLength(body, 'latin1') + '\r\n' +
    '\r\n' +
    body
  );
}

const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

describe('StreamFramer', () => {
  it('frames one message delivered in one chunk without copying it', () => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    const wire = Buffer.from(request('a', sdp), 'latin1');
    let frame: Buffer | undefined;
    framer.push(wire, { ...sink, message: (f) => (frame = f) });
    expect(frame?.toString('latin1')).toBe(request('a', sdp));
    expect(frame?.buffer).toBe(wire.buffer);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('frames a message split at every byte boundary', () => {
    const text = request('split', sdp);
    const wire = Buffer.from(text, 'latin1');
    for (let cut = 1; cut < wire.length; cut++) {
      const framer = new StreamFramer(32768, 65536);
      const { sink, seen } = recorder();
      framer.push(wire.subarray(0, cut), sink);
      expect(seen.messages).toHaveLength(0);
      framer.push(wire.subarray(cut), sink);
      expect(seen.messages).toEqual([text]);
      expect(seen.errors).toEqual([]);
    }
  });

  it('frames a message fed one byte at a time', () => {
    const text = request('bytes', sdp);
    const wire = Buffer.from(text + text, 'latin1');
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    for (let i = 0; i < wire.length; i++) framer.push(wire.subarray(i, i + 1), sink);
    expect(seen.messages).toEqual([text, text]);
  });

  it('frames 100 pipelined messages written at once', () => {
    const texts = Array.from({ length: 100 }, (_, i) => request('p' + i, i % 2 === 0 ? sdp : ''));
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    framer.push(Buffer.from(texts.join(''), 'latin1'), sink);
    expect(seen.messages).toEqual(texts);
  });

  it('frames pipelined messages cut into odd chunk sizes', () => {
    const texts = Array.from({ length: 50 }, (_, i) => request('q' + i, sdp));
    const wire = Buffer.from(texts.join(''), 'latin1');
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    for (let i = 0; i < wire.length; i += 37) framer.push(wire.subarray(i, i + 37), sink);
    expect(seen.messages).toEqual(texts);
  });

  it('answers CRLFCRLF keep-alives and skips stray CRLFs between messages', () => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    const text = request('ka');
    framer.push(Buffer.from('\r\n\r\n' + text + '\r\n' + text + '\r\n\r', 'latin1'), sink);
    framer.push(Buffer.from('\n', 'latin1'), sink);
    expect(seen.pings).toBe(2);
    expect(seen.messages).toEqual([text, text]);
  });

  it('reads compact and spaced Content-Length forms', () => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    const a = 'OPTIONS sip:a SIP/2.0\r\nl: 3\r\n\r\nabc';
    const b = 'OPTIONS sip:a SIP/2.0\r\nContent-Length   : 2\r\n\r\nde';
    const c = 'OPTIONS sip:a SIP/2.0\r\nL:1\r\n\r\nf';
    framer.push(Buffer.from(a + b + c, 'latin1'), sink);
    expect(seen.messages).toEqual([a, b, c]);
  });

  it('treats a missing Content-Length as an empty body', () => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    const a = 'OPTIONS sip:a SIP/2.0\r\nCall-ID: x\r\n\r\n';
    framer.push(Buffer.from(a + a, 'latin1'), sink);
    expect(seen.messages).toEqual([a, a]);
  });

  it.each([
    ['Content-Length: -999', 'content-length-invalid'],
    ['Content-Length: 12abc', 'content-length-invalid'],
    ['Content-Length: 1 2', 'content-length-invalid'],
    ['Content-Length:', 'content-length-invalid'],
    ['Content-Length: 0x10', 'content-length-invalid'],
    ['Content-Length: 99999999999999999999', 'body-too-large'],
    ['Content-Length: 70000', 'body-too-large'],
    ['Content-Length: 13\r\nContent-Length: 5', 'content-length-conflict'],
  ] as const)('refuses %j with %s and reports the header block', (header, kind) => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    const head = 'OPTIONS sip:a SIP/2.0\r\nCall-ID: x\r\n' + header + '\r\n\r\n';
    expect(framer.push(Buffer.from(head + 'body', 'latin1'), sink)).toBe(false);
    expect(seen.errors).toEqual([{ kind, partial: head }]);
    expect(seen.messages).toEqual([]);
    // Further input is ignored.
    framer.push(Buffer.from(request('after'), 'latin1'), sink);
    expect(seen.messages).toEqual([]);
  });

  it('refuses an endless header block once it passes the cap, whatever the chunking', () => {
    const framer = new StreamFramer(1024, 65536);
    const { sink, seen } = recorder();
    const line = Buffer.from('X-Filler: ' + 'a'.repeat(50) + '\r\n', 'latin1');
    let pushes = 0;
    while (framer.push(line, sink)) pushes++;
    expect(seen.errors.map((e) => e.kind)).toEqual(['header-too-large']);
    expect(pushes * line.length).toBeLessThanOrEqual(1024);
    expect(framer.bufferedBytes).toBe(0);

    const big = new StreamFramer(1024, 65536);
    const second = recorder();
    big.push(Buffer.alloc(100_000, 0x41), second.sink);
    expect(second.seen.errors.map((e) => e.kind)).toEqual(['header-too-large']);
    expect(second.seen.errors[0]!.partial!.length).toBeLessThanOrEqual(1024);
  });

  it('accepts a header block of exactly the cap', () => {
    const head = 'OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\nX: ';
    const tail = '\r\n\r\n';
    const text = head + 'y'.repeat(200 - head.length - tail.length) + tail;
    expect(text.length).toBe(200);
    const framer = new StreamFramer(200, 10);
    const { sink, seen } = recorder();
    for (let i = 0; i < text.length; i += 7) framer.push(Buffer.from(text.slice(i, i + 7), 'latin1'), sink);
    expect(seen.messages).toEqual([text]);
  });

  it('reports a message cut short by the end of the stream as truncated', () => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    const head = 'INVITE sip:a SIP/2.0\r\nContent-Length: 9999\r\n\r\n';
    framer.push(Buffer.from(head + 'v=0\r\n', 'latin1'), sink);
    expect(framer.bufferedBytes).toBe(head.length + 5);
    framer.finish(sink);
    expect(seen.errors).toEqual([{ kind: 'truncated', partial: head + 'v=0\r\n' }]);
  });

  it('ends quietly when the stream stops between messages', () => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    framer.push(Buffer.from(request('end') + '\r\n', 'latin1'), sink);
    framer.finish(sink);
    expect(seen.errors).toEqual([]);
    expect(seen.messages).toHaveLength(1);
  });

  it('does not take a CRLFCRLF split over chunks inside a header line for the end', () => {
    const framer = new StreamFramer(32768, 65536);
    const { sink, seen } = recorder();
    const text = request('cr', sdp);
    // Cut right after each CR and LF of the header block.
    const wire = Buffer.from(text, 'latin1');
    let last = 0;
    for (let i = 0; i < wire.length; i++) {
      if (wire[i] === 13 || wire[i] === 10) {
        framer.push(wire.subarray(last, i + 1), sink);
        last = i + 1;
      }
    }
    framer.push(wire.subarray(last), sink);
    expect(seen.messages).toEqual([text]);
  });
});

describe('StreamFramer on random streams', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('gives back exactly the messages of a random stream cut at random (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const pick = (n: number): number => Math.floor(random() * n);
    const expected: string[] = [];
    let pings = 0;
    let wire = '';
    for (let m = 0; m < 200; m++) {
      // Between messages: nothing, a stray CRLF, or a keep-alive ping.
      const gap = pick(4);
      if (gap === 1) wire += '\r\n';
      if (gap === 2) {
        wire += '\r\n\r\n';
        pings++;
      }
      let body = '';
      const bodyLength = pick(3) === 0 ? 0 : pick(3000);
      // Bodies may hold CRLFCRLF and anything else: only Content-Length delimits them.
      for (let i = 0; i < bodyLength; i++) body += pick(10) === 0 ? '\r\n\r\n' : String.fromCharCode(pick(256));
      const lengthHeader = ['Content-Length: ', 'l: ', 'content-length:', 'L :  '][pick(4)]!;
      const message =
        `MESSAGE sip:u${m}@example.com SIP/2.0\r\nCall-ID: ${m}\r\n` +
        (pick(2) === 0 ? 'X-Pad: ' + 'p'.repeat(pick(500)) + '\r\n' : '') +
        `${lengthHeader}${body.length}\r\n\r\n${body}`;
      expected.push(message);
      wire += message;
    }
    const bytes = Buffer.from(wire, 'latin1');
    const framer = new StreamFramer(4096, 65536);
    const { sink, seen } = recorder();
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + pick(pick(2) === 0 ? 16 : 4000);
      framer.push(bytes.subarray(at, at + size), sink);
      at += size;
    }
    expect(seen.errors).toEqual([]);
    expect(seen.pings).toBe(pings);
    expect(seen.messages.length).toBe(expected.length);
    expect(seen.messages).toEqual(expected);
    expect(framer.bufferedBytes).toBe(0);
  });
});
