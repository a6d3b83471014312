import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SipTransport } from '../../src/transport/sip-transport.ts';
import type { SipTransportOptions } from '../../src/transport/sip-transport.ts';
import type { MessageSource } from '../../src/transport/types.ts';
import { TcpClient, sleep, udpExchange, waitFor } from '../helpers/net.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import { isParseError } from '../../src/sip/parse-error.ts';

/** Call-ID of a framed message, through the real parser (null when it does not parse). */
function parsedCallId(text: string): string | null {
  const parsed = parseMessage(Buffer.from(text, 'latin1'));
  return isParseError(parsed) ? null : (parsed.callId ?? null);
}

interface Received {
  text: string;
  source: MessageSource;
}

const started: SipTransport[] = [];
const cleanups: Array<() => void> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await Promise.all(started.splice(0).map((t) => t.close()));
});

async function start(overrides: Partial<SipTransportOptions> = {}): Promise<{ transport: SipTransport; seen: Received[] }> {
  const seen: Received[] = [];
  const transport = await SipTransport.start({
    host: '127.0.0.1',
    port: 0,
    family: 4,
    onMessage: (data, source) => seen.push({ text: data.toString('latin1'), source }),
    ...overrides,
  });
  started.push(transport);
  return { transport, seen };
}

function options(callId: string, body = ''): string {
  return (
    'OPTIONS sip:edge@127.0.0.1 SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-' + callId + '\r\n' +
    'Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:edge@127.0.0.1>\r\n' +
    'Call-ID: ' + callId + '\r\nCSeq: 1 OPTIONS\r\nContent-Length: ' + body.length + '\r\n\r\n' + body
  );
}

describe('SipTransport over UDP', () => {
  it('reports each datagram with the socket source and replies from the listening port (IPv4)', async () => {
    const { transport, seen } = await start({
      onMessage: (data, source) => {
        seen.push({ text: data.toString('latin1'), source });
        transport.sendUdp(source.address, source.port, Buffer.from('SIP/2.0 200 OK\r\n\r\n'));
      },
    });
    const reply = await udpExchange('127.0.0.1', transport.port, Buffer.from(options('u1')));
    expect(reply?.toString()).toBe('SIP/2.0 200 OK\r\n\r\n');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.text).toBe(options('u1'));
    expect(seen[0]!.source.transport).toBe('udp');
    expect(seen[0]!.source.address).toBe('127.0.0.1');
    expect(seen[0]!.source.connection).toBeNull();
  });

  /** A transport on `host` that answers every UDP datagram with `answer`. */
  async function startEcho(host: string, family: 4 | 6, answer: string): Promise<{ transport: SipTransport; seen: Received[] }> {
    let transport: SipTransport | undefined;
    const seen: Received[] = [];
    const echo = await start({
      host,
      family,
      onMessage: (data, source) => {
        seen.push({ text: data.toString('latin1'), source });
        if (source.transport === 'udp') transport?.sendUdp(source.address, source.port, Buffer.from(answer));
      },
    });
    transport = echo.transport;
    return { transport, seen };
  }

  it('listens on IPv6 loopback too', async () => {
    const { transport, seen } = await startEcho('::1', 6, 'pong6');
    const reply = await udpExchange('::1', transport.port, Buffer.from(options('u6')));
    expect(reply?.toString()).toBe('pong6');
    expect(seen[0]!.source.address).toBe('::1');
    const client = new TcpClient('::1', transport.port);
    await client.connected;
    await client.write(options('t6'));
    expect(await waitFor(() => seen.length === 2)).toBe(true);
    expect(seen[1]!.source.transport).toBe('tcp');
    client.destroy();
  });

  it('gives IPv4 sources of a dual-stack socket as plain IPv4 and can answer them', async () => {
    const { transport, seen } = await startEcho('::', 6, 'mapped');
    const reply = await udpExchange('127.0.0.1', transport.port, Buffer.from(options('dual')));
    expect(reply?.toString()).toBe('mapped');
    expect(seen[0]!.source.address).toBe('127.0.0.1');
  });

  it('drops datagrams of only CR/LF and over the size cap', async () => {
    const { transport, seen } = await start({ limits: { maxHeaderBytes: 1024, maxBodyBytes: 1024 } });
    await udpExchange('127.0.0.1', transport.port, Buffer.from('\r\n\r\n'), 100);
    await udpExchange('127.0.0.1', transport.port, Buffer.alloc(3000, 0x41), 100);
    await udpExchange('127.0.0.1', transport.port, Buffer.from(options('after')), 100);
    expect(await waitFor(() => seen.length === 1)).toBe(true);
    expect(seen.map((s) => s.text)).toEqual([options('after')]);
    expect(transport.stats().udpDropped).toBe(2);
  });

  it('reports UDP send errors instead of throwing', async () => {
    const { transport } = await start();
    const error = await new Promise<Error>((resolve) => transport.sendUdp('127.0.0.1', 0, Buffer.from('x'), resolve));
    expect(error).toBeInstanceOf(Error);
  });

  it('lets two listeners share a port with reusePort', async () => {
    const first = await start({ reusePort: true });
    const second = await start({ reusePort: true, port: first.transport.port });
    expect(second.transport.port).toBe(first.transport.port);
  });

  it('refuses a port in use without reusePort', async () => {
    const first = await start();
    await expect(start({ port: first.transport.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('SipTransport over TCP', () => {
  it('frames a message split at every byte boundary over a real connection', async () => {
    const { transport, seen } = await start();
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    const text = options('split', 'v=0\r\n');
    for (let cut = 1; cut < text.length; cut++) {
      await client.write(text.slice(0, cut));
      if (cut % 50 === 0) await sleep(1);
      await client.write(text.slice(cut));
    }
    expect(await waitFor(() => seen.length === text.length - 1)).toBe(true);
    expect(seen.every((s) => s.text === text)).toBe(true);
    expect(seen.every((s) => parsedCallId(s.text) === 'split')).toBe(true);
    expect(seen[0]!.source.transport).toBe('tcp');
    expect(seen[0]!.source.connection?.remotePort).toBe(client.socket.localPort);
    client.destroy();
  });

  it('frames 100 pipelined messages from one write and answers over the same connection', async () => {
    const { transport, seen } = await start({
      onMessage: (data, source) => {
        seen.push({ text: data.toString('latin1'), source });
        source.connection?.send(Buffer.from('ack' + seen.length + '\n'));
      },
    });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    const texts = Array.from({ length: 100 }, (_, i) => options('pipe' + i, i % 3 === 0 ? 'body' : ''));
    await client.write(texts.join(''));
    expect(await waitFor(() => seen.length === 100)).toBe(true);
    expect(seen.map((s) => s.text)).toEqual(texts);
    expect(seen.map((s) => parsedCallId(s.text))).toEqual(texts.map((_, i) => 'pipe' + i));
    expect(await client.waitForText('ack100\n')).toBe(true);
    client.destroy();
  });

  it('answers a CRLFCRLF keep-alive with CRLF', async () => {
    const { transport, seen } = await start();
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    await client.write('\r\n\r\n');
    expect(await waitFor(() => client.text === '\r\n')).toBe(true);
    await client.write('\r\n' + options('ka'));
    expect(await waitFor(() => seen.length === 1)).toBe(true);
    expect(client.text).toBe('\r\n');
    client.destroy();
  });

  it.each([
    ['Content-Length: abc', 'content-length-invalid'],
    ['Content-Length: -1', 'content-length-invalid'],
    ['Content-Length: 99999999', 'body-too-large'],
  ])('answers %s with the framing reply and closes', async (header, kind) => {
    const kinds: string[] = [];
    const { transport, seen } = await start({
      framingErrorReply: (k) => {
        kinds.push(k);
        return Buffer.from('SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      },
    });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    await client.write('OPTIONS sip:a SIP/2.0\r\nCall-ID: x\r\n' + header + '\r\n\r\nbody');
    expect(await client.waitClosed()).toBe(true);
    expect(client.text).toBe('SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    expect(kinds).toEqual([kind]);
    expect(seen).toEqual([]);
    expect(transport.stats().tcp.closedByUs).toBe(1);
  });

  it('closes a connection whose header block never ends', async () => {
    const { transport } = await start({ limits: { maxHeaderBytes: 4096 } });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    for (let i = 0; i < 100 && !client.closed; i++) {
      await client.write('X-Endless: ' + 'z'.repeat(100) + '\r\n');
    }
    expect(await client.waitClosed()).toBe(true);
    expect(transport.stats().tcpConnections).toBe(0);
  });

  it('reports a message cut by the peer ending its side', async () => {
    const kinds: string[] = [];
    const { transport } = await start({
      framingErrorReply: (k, partial) => {
        kinds.push(k + ':' + partial?.length);
        return Buffer.from('bad');
      },
    });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    const head = 'INVITE sip:a SIP/2.0\r\nContent-Length: 9999\r\n\r\n';
    await client.write(head + 'v=0\r\n');
    client.socket.end();
    expect(await client.waitClosed()).toBe(true);
    expect(client.text).toBe('bad');
    expect(kinds).toEqual(['truncated:' + (head.length + 5)]);
  });

  it('closes idle connections', async () => {
    const { transport } = await start({ limits: { idleTimeoutMs: 200 } });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    const opened = Date.now();
    expect(await client.waitClosed(3000)).toBe(true);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(150);
    expect(await waitFor(() => transport.stats().tcpConnections === 0)).toBe(true);
  });

  it('closes a connection whose message dribbles in slower than the message timeout', async () => {
    const { transport, seen } = await start({ limits: { messageTimeoutMs: 300, idleTimeoutMs: 5000 } });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    const text = options('slow');
    for (let i = 0; i < text.length && !client.closed; i += 10) {
      await client.write(text.slice(i, i + 10));
      await sleep(60);
    }
    expect(await client.waitClosed()).toBe(true);
    expect(seen).toEqual([]);
    // Well under the idle timeout: it was the message timeout.
    expect(transport.stats().tcp.closedByUs).toBe(1);
  });

  it('keeps a connection whose messages arrive briskly, however many', async () => {
    const { transport, seen } = await start({ limits: { messageTimeoutMs: 300 } });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    for (let i = 0; i < 8; i++) {
      await client.write(options('brisk' + i));
      await sleep(60);
    }
    expect(await waitFor(() => seen.length === 8)).toBe(true);
    expect(client.closed).toBe(false);
    client.destroy();
  });

  it('keeps a busy connection whose every chunk ends inside a message', async () => {
    const { transport, seen } = await start({ limits: { messageTimeoutMs: 300 } });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    const stream = Array.from({ length: 20 }, (_, i) => options('busy' + i)).join('');
    // Chunks of 1.3 messages each: something is always buffered, but messages keep completing.
    const step = Math.floor(options('busy0').length * 1.3);
    for (let i = 0; i < stream.length; i += step) {
      await client.write(stream.slice(i, i + step));
      await sleep(60);
    }
    expect(await waitFor(() => seen.length === 20)).toBe(true);
    expect(client.closed).toBe(false);
    client.destroy();
  });

  it('caps connections per source address and frees the slot on close', async () => {
    const { transport } = await start({ limits: { maxConnectionsPerSource: 5 } });
    const clients = Array.from({ length: 20 }, () => new TcpClient('127.0.0.1', transport.port));
    cleanups.push(() => clients.forEach((c) => c.destroy()));
    await Promise.allSettled(clients.map((c) => c.connected));
    expect(await waitFor(() => clients.filter((c) => c.closed).length === 15)).toBe(true);
    await sleep(100);
    expect(clients.filter((c) => !c.closed)).toHaveLength(5);
    expect(transport.stats().tcpConnections).toBe(5);
    expect(transport.stats().tcp.refusedPerSource).toBe(15);
    clients.find((c) => !c.closed)!.destroy();
    expect(await waitFor(() => transport.stats().tcpConnections === 4)).toBe(true);
    const late = new TcpClient('127.0.0.1', transport.port);
    cleanups.push(() => late.destroy());
    await late.connected;
    await sleep(100);
    expect(late.closed).toBe(false);
  });

  it('caps connections in total', async () => {
    const { transport } = await start({ limits: { maxConnections: 3 } });
    const clients = Array.from({ length: 6 }, () => new TcpClient('127.0.0.1', transport.port));
    cleanups.push(() => clients.forEach((c) => c.destroy()));
    await Promise.allSettled(clients.map((c) => c.connected));
    expect(await waitFor(() => clients.filter((c) => c.closed).length === 3)).toBe(true);
    expect(transport.stats().tcp.refusedTotal).toBe(3);
  });

  it('opens outbound connections, reuses them, and reports what comes back on them', async () => {
    const peerReceived: string[] = [];
    const peerSockets: Socket[] = [];
    const peer = createServer((socket) => {
      peerSockets.push(socket);
      socket.on('data', (chunk) => {
        peerReceived.push(chunk.toString('latin1'));
        socket.write('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      peerSockets.forEach((s) => s.destroy());
      peer.close();
    });
    const port = (peer.address() as { port: number }).port;
    const { transport, seen } = await start();
    transport.sendTcp('127.0.0.1', port, Buffer.from(options('out1')));
    expect(await waitFor(() => seen.length === 1)).toBe(true);
    transport.sendTcp('127.0.0.1', port, Buffer.from(options('out2')));
    expect(await waitFor(() => seen.length === 2)).toBe(true);
    expect(peerSockets).toHaveLength(1);
    expect(seen[0]!.text).toBe('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(seen[0]!.source.connection?.outbound).toBe(true);
    expect(seen[0]!.source.port).toBe(port);
  });

  it('reports a failed outbound connection instead of throwing', async () => {
    const probe = createSocket('udp4');
    cleanups.push(() => probe.close());
    // A TCP port with nothing listening: take one from a server and close it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { transport } = await start();
    const error = await new Promise<Error>((resolve) => transport.sendTcp('127.0.0.1', port, Buffer.from('x'), resolve));
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(await waitFor(() => transport.stats().tcpConnections === 0)).toBe(true);
  });

  it('reports a send on a closed connection instead of throwing', async () => {
    let connection: MessageSource['connection'] = null;
    const { transport } = await start({ onMessage: (_d, source) => (connection = source.connection) });
    const client = new TcpClient('127.0.0.1', transport.port);
    await client.connected;
    await client.write(options('c'));
    expect(await waitFor(() => connection !== null)).toBe(true);
    client.destroy();
    expect(await waitFor(() => connection!.isOpen === false)).toBe(true);
    const error = await new Promise<Error>((resolve) => connection!.send(Buffer.from('late'), resolve));
    expect(error.message).toMatch(/closed/);
  });
});
