// The running process against the RFC 4475 corpus, over UDP and over TCP: every request gets an
// answer that fits the manifest's `edge` column (where it does not depend on routing), responses
// are dropped, and the process keeps answering OPTIONS afterwards.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { TcpClient, firstStatus, udpExchange } from '../helpers/net.ts';

interface ManifestEntry {
  kind: 'request' | 'response';
  parse: 'accept' | 'reject' | 'either';
  edge: string;
}

const corpusDir = join(repoRoot, '../shared/conformance/rfc4475');
const manifest = JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8')) as {
  messages: Record<string, ManifestEntry>;
};
const files = Object.entries(manifest.messages);

const COOKIE = Buffer.from('z9hG4bK', 'latin1');

/**
 * The corpus file with its first RFC 3261 branch made unique per file and transport. Unrelated
 * corpus messages reuse branches (z9hG4bKkdjuw, ...): the stateful edge would rightly take the
 * second one for a retransmission of the first and absorb it. Inserting token characters after the
 * magic cookie changes nothing else about the message.
 */
function corpusMessage(file: string, transport: string): Buffer {
  const data = readFileSync(join(corpusDir, file));
  const at = data.indexOf(COOKIE);
  if (at < 0) return data;
  const unique = Buffer.from(`${transport}${file.replace(/[^A-Za-z0-9]/g, '')}x`, 'latin1');
  const end = at + COOKIE.length;
  return Buffer.concat([data.subarray(0, end), unique, data.subarray(end)]);
}

/** Does `status` (null: nothing came back) fit the manifest's edge column? */
function fits(edge: string, status: number | null): boolean {
  switch (edge) {
    case 'drop':
      return status === null;
    case 'no-crash':
      return true;
    case 'not-400':
      return status !== null && status >= 200 && status !== 400;
    case 'any-final':
      return status !== null && status >= 200;
    case '400 or 505':
      return status === 400 || status === 505;
    default:
      return status === Number(edge);
  }
}

function optionsRequest(port: number, transport: 'UDP' | 'TCP', tag: string): Buffer {
  return Buffer.from(
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\n` +
      `Via: SIP/2.0/${transport} 127.0.0.1:9;branch=z9hG4bK-${tag}\r\n` +
      'Max-Forwards: 70\r\nFrom: <sip:probe@example.com>;tag=p1\r\nTo: <sip:127.0.0.1>\r\n' +
      `Call-ID: probe-${tag}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
    'latin1',
  );
}

/** Sends one message on a fresh TCP connection, ends our side, and returns what came back. */
async function tcpExchange(port: number, data: Buffer): Promise<string> {
  const client = new TcpClient('127.0.0.1', port);
  await client.connected;
  await client.write(data);
  client.socket.end();
  await client.waitClosed(3000);
  client.destroy();
  return client.text;
}

let edge: EdgeProcess;
/** The TCP pass runs on its own process: RFC 2543 messages (no branch cookie) sent again over TCP
 * would otherwise match the transactions the UDP pass left behind. */
let tcpEdge: EdgeProcess;

beforeAll(async () => {
  [edge, tcpEdge] = await Promise.all([startEdge(), startEdge()]);
});

afterAll(async () => {
  await Promise.all([edge?.stop(), tcpEdge?.stop()]);
});

describe('RFC 4475 corpus against the running edge', () => {
  it.each(files)('%s over UDP fits the edge column', async (file, entry) => {
    const data = corpusMessage(file, 'udp');
    const reply = await udpExchange('127.0.0.1', edge.port, data, entry.edge === 'drop' || entry.edge === 'no-crash' ? 300 : 5000);
    const status = reply === null ? null : firstStatus(reply.toString('latin1'));
    expect({ file, status, fits: fits(entry.edge, status) }).toEqual({ file, status, fits: true });
  });

  it.each(files)('%s over TCP fits the edge column', async (file, entry) => {
    const data = corpusMessage(file, 'tcp');
    const text = await tcpExchange(tcpEdge.port, data);
    const status = firstStatus(text);
    expect({ file, status, fits: fits(entry.edge, status) }).toEqual({ file, status, fits: true });
  });

  it('still answers OPTIONS over UDP and TCP afterwards', async () => {
    expect(edge.alive()).toBe(true);
    expect(tcpEdge.alive()).toBe(true);
    const udp = await udpExchange('127.0.0.1', edge.port, optionsRequest(edge.port, 'UDP', 'after-udp'), 5000);
    expect(udp === null ? null : firstStatus(udp.toString('latin1'))).toBe(200);
    const tcp = await tcpExchange(edge.port, optionsRequest(edge.port, 'TCP', 'after-tcp'));
    expect(firstStatus(tcp)).toBe(200);
    expect(tcp).toContain('Call-ID: probe-after-tcp\r\n');
  });

  it('answers OPTIONS with Max-Forwards 0 addressed to the edge itself with 200', async () => {
    const request = optionsRequest(edge.port, 'UDP', 'mf0').toString('latin1').replace('Max-Forwards: 70', 'Max-Forwards: 0');
    const reply = await udpExchange('127.0.0.1', edge.port, Buffer.from(request, 'latin1'), 2000);
    expect(reply === null ? null : firstStatus(reply.toString('latin1'))).toBe(200);
  });

  it('answers an INVITE naming no provisioned target with 404 and never logs message contents at info', async () => {
    const invite = optionsRequest(edge.port, 'UDP', 'inv')
      .toString('latin1')
      .replaceAll('OPTIONS', 'INVITE')
      .replace('Max-Forwards: 70\r\n', 'Max-Forwards: 70\r\nProxy-Authorization: Digest username="u", response="deadbeefsecret"\r\n');
    const reply = await udpExchange('127.0.0.1', edge.port, Buffer.from(invite, 'latin1'), 2000);
    expect(reply === null ? null : firstStatus(reply.toString('latin1'))).toBe(404);
    expect(edge.output()).not.toContain('deadbeefsecret');
    expect(edge.output()).not.toContain('probe-');
  });
});

describe('wire behaviour of the running edge', () => {
  it('answers 100 requests pipelined in one TCP write, in order', async () => {
    const client = new TcpClient('127.0.0.1', edge.port);
    await client.connected;
    const batch = Array.from({ length: 100 }, (_, i) => optionsRequest(edge.port, 'TCP', 'pipe' + i));
    await client.write(Buffer.concat(batch));
    expect(await client.waitForText('Call-ID: probe-pipe99\r\n', 5000)).toBe(true);
    const callIds = [...client.text.matchAll(/Call-ID: (probe-pipe\d+)\r\n/g)].map((m) => m[1]);
    expect(callIds).toEqual(batch.map((_, i) => 'probe-pipe' + i));
    expect(client.text.split('SIP/2.0 200 OK\r\n').length - 1).toBe(100);
    client.destroy();
  });

  it('answers a request split at every 7th byte over TCP, and CRLF keep-alives with CRLF', async () => {
    const client = new TcpClient('127.0.0.1', edge.port);
    await client.connected;
    await client.write('\r\n\r\n');
    expect(await client.waitForText('\r\n')).toBe(true);
    expect(client.text).toBe('\r\n');
    const request = optionsRequest(edge.port, 'TCP', 'drip');
    for (let i = 0; i < request.length; i += 7) await client.write(request.subarray(i, i + 7));
    expect(await client.waitForText('Call-ID: probe-drip\r\n', 5000)).toBe(true);
    expect(firstStatus(client.text)).toBe(200);
    client.destroy();
  });

  it('listens on IPv6 ([::1]) over UDP and TCP', async () => {
    const v6 = await startEdge({ SIP_LISTEN: '[::1]:0' });
    try {
      const udp = await udpExchange('::1', v6.port, optionsRequest(v6.port, 'UDP', 'v6u'), 5000);
      expect(udp === null ? null : firstStatus(udp.toString('latin1'))).toBe(200);
      const client = new TcpClient('::1', v6.port);
      await client.connected;
      await client.write(optionsRequest(v6.port, 'TCP', 'v6t'));
      expect(await client.waitForText('Call-ID: probe-v6t\r\n', 5000)).toBe(true);
      expect(firstStatus(client.text)).toBe(200);
      client.destroy();
    } finally {
      await v6.stop();
    }
  });
});

describe('process lifecycle', () => {
  it('exits 0 on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const other = await startEdge();
      const exited = new Promise<number | null>((resolve) => other.child.on('exit', (code) => resolve(code)));
      other.child.kill(signal);
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad configuration with one line naming the variable', async () => {
    await expect(startEdge({ EDGE_ROLE: 'proxy' })).rejects.toThrow(/EDGE_ROLE: expected one of all, edge, api/);
  });
});
