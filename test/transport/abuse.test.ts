// The running process under abuse on its SIP port: bad framing gets 400 and a closed connection,
// 10,000 idle connections from one source mostly refused at once, and 200 MB of garbage over TCP
// and over UDP leave its memory bounded (RSS read from /proc) and its OPTIONS answers intact.

import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { TcpClient, firstStatus, sleep, udpExchange, waitFor } from '../helpers/net.ts';

/**
 * RSS growth allowed over the warmed process while 200 MB of garbage flows: less than half of what
 * is fed, so any buffering that keeps garbage fails, with room for the young generation and the
 * allocator's retained pages of the full process on a loaded 2-core machine (measured 35-70 MiB).
 */
const RSS_GROWTH_CAP_MIB = 96;
const MiB = 1024 * 1024;

let edge: EdgeProcess;
let baselineKiB = 0;
let peakKiB = 0;
let sampler: NodeJS.Timeout | undefined;

function sample(): void {
  if (!edge.alive()) return;
  const rss = edge.rssKiB();
  if (rss > peakKiB) peakKiB = rss;
}

function options(tag: string): Buffer {
  return Buffer.from(
    `OPTIONS sip:127.0.0.1:${edge.port} SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-${tag}\r\n` +
      `Max-Forwards: 70\r\nFrom: <sip:probe@example.com>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: ${tag}\r\n` +
      'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
    'latin1',
  );
}

async function answersOptions(): Promise<boolean> {
  const udp = await udpExchange('127.0.0.1', edge.port, options('probe-udp'), 5000);
  if (udp === null || firstStatus(udp.toString('latin1')) !== 200) return false;
  const client = new TcpClient('127.0.0.1', edge.port);
  await client.connected;
  await client.write(options('probe-tcp'));
  const ok = await client.waitForText('SIP/2.0 200 ', 5000);
  client.destroy();
  return ok;
}

/** 2 MiB of garbage datagrams, paced, before the baseline is read. */
async function warmUpWithGarbage(): Promise<void> {
  const socket = createSocket('udp4');
  socket.on('error', () => {});
  for (let i = 0; i < 256; i++) {
    await new Promise<void>((resolve) => socket.send(randomBytes(8192), edge.port, '127.0.0.1', () => resolve()));
    if (i % 32 === 31) await sleep(5);
  }
  socket.close();
}

/**
 * Each abuse runs against its own fresh process, so each RSS figure is that abuse's alone (the
 * allocator keeps pages a flood of sockets touched; see the report for the combined figure).
 */
function withFreshEdge(): void {
  beforeAll(async () => {
    // The per-source rate limiter would drop most of a one-source flood before parsing; switch it
    // off so that every byte reaches the framer and the parser, the harder case for memory.
    edge = await startEdge({ EDGE_RATE_LIMIT_PPS: '0' });
    // Warm up the paths (OPTIONS and a little garbage) so that the baseline includes compiled code,
    // pools and the grown young generation, not only the idle process.
    expect(await answersOptions()).toBe(true);
    await warmUpWithGarbage();
    expect(await answersOptions()).toBe(true);
    await sleep(200);
    baselineKiB = edge.rssKiB();
    peakKiB = baselineKiB;
    sampler = setInterval(sample, 50);
  });

  afterAll(async () => {
    if (sampler !== undefined) clearInterval(sampler);
    await edge?.stop();
  });
}

async function badFrame(head: string): Promise<{ text: string; closed: boolean }> {
  const client = new TcpClient('127.0.0.1', edge.port);
  await client.connected;
  await client.write(head);
  const closed = await client.waitClosed(3000);
  client.destroy();
  return { text: client.text, closed };
}

const invite = (contentLength: string): string =>
  'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK-cl\r\nMax-Forwards: 70\r\n' +
  'From: <sip:a@example.com>;tag=9\r\nTo: <sip:bob@example.com>\r\nCall-ID: cl-test\r\nCSeq: 1 INVITE\r\n' +
  `Content-Length: ${contentLength}\r\n\r\n`;

describe('bad framing on the running process', () => {
  withFreshEdge();
  it.each(['abc', '-5', '1e3', '+12', '4294967296000'])('answers Content-Length %j with 400 and closes', async (value) => {
    const { text, closed } = await badFrame(invite(value) + 'v=0\r\n');
    expect(closed).toBe(true);
    expect(firstStatus(text)).toBe(400);
    expect(text).toContain('Call-ID: cl-test\r\n');
  });

  it('closes an endless header block after the header cap', async () => {
    const client = new TcpClient('127.0.0.1', edge.port);
    await client.connected;
    await client.write('INVITE sip:bob@example.com SIP/2.0\r\n');
    let sent = 0;
    const line = 'X-Endless: ' + 'e'.repeat(1000) + '\r\n';
    while (!client.closed && sent < 16 * MiB) {
      await client.write(line);
      sent += line.length;
    }
    expect(await client.waitClosed()).toBe(true);
    expect(sent).toBeLessThan(4 * MiB);
    console.log(`endless header block: closed after ${(sent / 1024).toFixed(0)} KiB written`);
    client.destroy();
  });
});

describe('connection flood from one source', () => {
  withFreshEdge();
  it('refuses most of 10,000 idle connections quickly and keeps at most the per-source cap', async () => {
    const sockets: Socket[] = [];
    let closed = 0;
    let connected = 0;
    const started = Date.now();
    try {
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(
          Array.from(
            { length: 500 },
            () =>
              new Promise<void>((resolve) => {
                const socket = connect({ host: '127.0.0.1', port: edge.port });
                sockets.push(socket);
                socket.on('connect', () => {
                  connected++;
                  resolve();
                });
                socket.on('error', () => resolve());
                socket.on('close', () => {
                  closed++;
                  resolve();
                });
                socket.resume();
              }),
          ),
        );
      }
      expect(await waitFor(() => closed >= 10_000 - 256, 10_000)).toBe(true);
      const elapsed = Date.now() - started;
      await sleep(200);
      const open = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
      console.log(`10,000 connections: ${connected} connected, ${closed} closed by the edge, ${open} left open, ${elapsed} ms`);
      sample();
      console.log(`RSS during the flood: baseline ${(baselineKiB / 1024).toFixed(1)} MiB, peak ${(peakKiB / 1024).toFixed(1)} MiB`);
      expect((peakKiB - baselineKiB) / 1024).toBeLessThan(RSS_GROWTH_CAP_MIB);
      expect(open).toBeLessThanOrEqual(256);
      expect(closed).toBeGreaterThanOrEqual(10_000 - 256);
      expect(elapsed).toBeLessThan(20_000);
    } finally {
      for (const s of sockets) s.destroy();
    }
    // Slots come back once the clients go away.
    expect(await waitFor(() => edge.alive(), 100)).toBe(true);
    await sleep(300);
    expect(await answersOptions()).toBe(true);
  });
});

/** Garbage that frames as SIP messages: the parser rejects each, the connection stays up. */
function framedGarbage(size: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  while (total < size) {
    const bodyLength = 1000 + Math.floor(Math.random() * 8000);
    const head = Buffer.from(`GARBAGE ${randomBytes(8).toString('hex')}\r\nX: ${randomBytes(16).toString('base64')}\r\nl: ${bodyLength}\r\n\r\n`, 'latin1');
    const body = randomBytes(bodyLength);
    parts.push(head, body);
    total += head.length + body.length;
  }
  return Buffer.concat(parts);
}

interface Pumped {
  written: number;
  /** The connection ended with an error (reset) rather than the edge's orderly close after EOF. */
  failed: boolean;
}

/**
 * Writes `total` octets of `pattern` repeatedly, honouring back-pressure, then ends and waits for
 * the edge to close its side, which it does only after reading everything up to our FIN.
 */
function pump(socket: Socket, pattern: Buffer, total: number): Promise<Pumped> {
  return new Promise((resolve) => {
    let written = 0;
    let failed = false;
    socket.on('error', () => (failed = true));
    socket.on('close', () => resolve({ written, failed }));
    const more = (): void => {
      while (written < total && !socket.destroyed) {
        written += pattern.length;
        if (!socket.write(pattern)) {
          socket.once('drain', more);
          return;
        }
      }
      if (written >= total) socket.end();
    };
    socket.on('connect', more);
  });
}

describe('200 MB of garbage', () => {
  withFreshEdge();
  it('over TCP: framed garbage on long connections and raw garbage on short ones, RSS bounded', async () => {
    const framed = framedGarbage(4 * MiB);
    const connections = 4;
    const perConnection = 45 * MiB;
    const longOnes = Array.from({ length: connections }, () => {
      const socket = connect({ host: '127.0.0.1', port: edge.port });
      socket.resume();
      return pump(socket, framed, perConnection);
    });
    // Raw random octets: each connection is closed at the header cap.
    const raw = randomBytes(64 * 1024);
    let rawWritten = 0;
    while (rawWritten < 20 * MiB) {
      const shortOnes = Array.from({ length: 16 }, () => {
        const socket = connect({ host: '127.0.0.1', port: edge.port });
        socket.resume();
        return pump(socket, raw, 256 * 1024);
      });
      rawWritten += (await Promise.all(shortOnes)).reduce((a, b) => a + b.written, 0);
    }
    const framedResults = await Promise.all(longOnes);
    // The framed garbage was read to the end: no connection was cut.
    expect(framedResults.map((r) => r.failed)).toEqual([false, false, false, false]);
    const framedWritten = framedResults.reduce((a, b) => a + b.written, 0);
    sample();
    const growthMiB = (peakKiB - baselineKiB) / 1024;
    console.log(
      `TCP garbage: ${(framedWritten / MiB).toFixed(0)} MiB framed + ${(rawWritten / MiB).toFixed(0)} MiB raw written; ` +
        `RSS baseline ${(baselineKiB / 1024).toFixed(1)} MiB, peak ${(peakKiB / 1024).toFixed(1)} MiB, growth ${growthMiB.toFixed(1)} MiB (cap ${RSS_GROWTH_CAP_MIB})`,
    );
    expect(framedWritten + rawWritten).toBeGreaterThanOrEqual(200 * MiB);
    expect(growthMiB).toBeLessThan(RSS_GROWTH_CAP_MIB);
    expect(edge.alive()).toBe(true);
    expect(await answersOptions()).toBe(true);
  });

  it('over UDP: 200 MB of garbage datagrams, RSS bounded', async () => {
    // Measured from the same baseline: the TCP garbage before it counts against the same cap.
    const socket = createSocket('udp4');
    const datagrams = [randomBytes(8000), framedGarbage(1).subarray(0, 8000), Buffer.from('INVITE sip:x SIP/2.0\r\n' + 'Via: ' + 'v'.repeat(7000) + '\r\n\r\n')];
    let sent = 0;
    let i = 0;
    await new Promise<void>((resolve) => socket.connect(edge.port, '127.0.0.1', () => resolve()));
    while (sent < 200 * MiB) {
      const batch: Promise<void>[] = [];
      for (let k = 0; k < 64; k++) {
        const d = datagrams[i++ % datagrams.length]!;
        sent += d.length;
        batch.push(new Promise((resolve) => socket.send(d, () => resolve())));
      }
      await Promise.all(batch);
    }
    socket.close();
    await sleep(200);
    sample();
    const growthMiB = (peakKiB - baselineKiB) / 1024;
    console.log(`UDP garbage: ${(sent / MiB).toFixed(0)} MiB sent; RSS peak ${(peakKiB / 1024).toFixed(1)} MiB, growth ${growthMiB.toFixed(1)} MiB (cap ${RSS_GROWTH_CAP_MIB})`);
    expect(growthMiB).toBeLessThan(RSS_GROWTH_CAP_MIB);
    expect(edge.alive()).toBe(true);
    expect(await answersOptions()).toBe(true);
  });
});
