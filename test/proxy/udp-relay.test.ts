// Real sockets on 127.0.0.1: a UAC and a PBX (plain dgram sockets) talk through the proxy on the
// real SIP transport. INVITE / 100 / 180 / 200 / ACK / BYE / 200, and a TCP leg to the PBX.

import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server, Socket as TcpSocket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxy } from '../../src/proxy/proxy.ts';
import type { Proxy } from '../../src/proxy/proxy.ts';
import { transportSender } from '../../src/proxy/transport-send.ts';
import type { SipMessage, SipRequest, SipResponse } from '../../src/sip/message.ts';
import { getHeaders } from '../../src/sip/message.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import { isParseError } from '../../src/sip/parse-error.ts';
import { loopbackTransportFor } from './loopback-transport.ts';

interface Peer {
  sock: Socket;
  port: number;
  inbox: SipMessage[];
  next(pred?: (m: SipMessage) => boolean): Promise<SipMessage>;
  send(text: string, port: number): void;
}

async function udpPeer(): Promise<Peer> {
  const sock = createSocket('udp4');
  const inbox: SipMessage[] = [];
  const waiters: Array<() => void> = [];
  sock.on('message', (buf) => {
    const m = parseMessage(buf);
    if (isParseError(m)) return;
    inbox.push(m);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  return {
    sock, port, inbox,
    async next(pred = () => true) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const i = inbox.findIndex(pred);
        if (i >= 0) return inbox.splice(i, 1)[0]!;
        if (Date.now() > deadline) throw new Error('timed out waiting for a message');
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    send(text, to) {
      sock.send(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1'), to, '127.0.0.1');
    },
  };
}

function reply(r: SipRequest, status: number, reason: string, extra = ''): string {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const h of r.headers) {
    const n = h.name.toLowerCase();
    if (n === 'via' || n === 'from' || n === 'call-id' || n === 'cseq' || n === 'record-route') lines.push(`${h.name}: ${h.value}`);
    if (n === 'to') lines.push(`To: ${h.value}${status > 100 && !h.value.includes('tag=') ? ';tag=pbx1' : ''}`);
  }
  return `${lines.join('\n')}\n${extra}Content-Length: 0\n\n`;
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function edge(target: (pbxPort: number) => string, pbxPort: number): Promise<{ port: number; proxy: Proxy }> {
  let proxy: Proxy | undefined;
  const transport = await loopbackTransportFor(() => proxy);
  cleanup.push(() => transport.close());
  proxy = createProxy({
    advertisedHost: '127.0.0.1', advertisedPort: transport.port, realm: 'sip-edge', routeSecret: 'secret',
    send: transportSender(transport),
    admit: () => ({
      kind: 'accept', accountSid: 'AC1', targetSid: 'SD1', auth: { method: 'ip' },
      targets: [{ uri: target(pbxPort), priority: 10, weight: 1 }],
    }),
  });
  const p = proxy;
  cleanup.push(() => p.close());
  return { port: transport.port, proxy: p };
}

const INVITE = (edgePort: number, uacPort: number) => `INVITE sip:+15550001@127.0.0.1:${edgePort} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${uacPort};branch=z9hG4bKreal1;rport
Max-Forwards: 70
From: <sip:alice@127.0.0.1>;tag=a1
To: <sip:+15550001@127.0.0.1>
Call-ID: real-call-1
CSeq: 1 INVITE
Contact: <sip:alice@127.0.0.1:${uacPort}>
Content-Length: 0

`;

describe('proxy over real UDP sockets', () => {
  it('relays INVITE/180/200/ACK/BYE/200 between two sockets', async () => {
    const uac = await udpPeer();
    const pbx = await udpPeer();
    cleanup.push(() => { uac.sock.close(); pbx.sock.close(); });
    const { port } = await edge((p) => `sip:127.0.0.1:${p}`, pbx.port);

    uac.send(INVITE(port, uac.port), port);
    const trying = (await uac.next()) as SipResponse;
    expect(trying.status).toBe(100);
    const inv = (await pbx.next()) as SipRequest;
    expect(inv.method).toBe('INVITE');
    expect(inv.uri).toBe(`sip:+15550001@127.0.0.1:${pbx.port}`);
    pbx.send(reply(inv, 180, 'Ringing'), port);
    expect(((await uac.next()) as SipResponse).status).toBe(180);
    pbx.send(reply(inv, 200, 'OK', `Contact: <sip:pbx@127.0.0.1:${pbx.port}>\n`), port);
    const ok = (await uac.next()) as SipResponse;
    expect(ok.status).toBe(200);
    expect(ok.via.length).toBe(1);
    const routes = getHeaders(ok, 'Record-Route');
    expect(routes.length).toBe(1);

    const inDialog = (method: string, cseq: string, branch: string) => `${method} sip:pbx@127.0.0.1:${pbx.port} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${uac.port};branch=${branch};rport
Max-Forwards: 70
From: <sip:alice@127.0.0.1>;tag=a1
To: <sip:+15550001@127.0.0.1>;tag=pbx1
Call-ID: real-call-1
CSeq: ${cseq}
Route: ${routes[0]}
Content-Length: 0

`;
    uac.send(inDialog('ACK', '1 ACK', 'z9hG4bKack1'), port);
    const ack = (await pbx.next()) as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(ack.route).toEqual([]);
    uac.send(inDialog('BYE', '2 BYE', 'z9hG4bKbye1'), port);
    const bye = (await pbx.next()) as SipRequest;
    expect(bye.method).toBe('BYE');
    pbx.send(reply(bye, 200, 'OK'), port);
    const byeOk = (await uac.next()) as SipResponse;
    expect(byeOk.status).toBe(200);
    expect(byeOk.cseq?.method).toBe('BYE');
    expect(uac.inbox).toEqual([]);
  });

  it('forwards to a PBX over TCP and relays its answer back over UDP', async () => {
    const uac = await udpPeer();
    cleanup.push(() => {
      uac.sock.close();
    });
    const received: Buffer[] = [];
    let conn: TcpSocket | undefined;
    const server: Server = createServer((s) => {
      conn = s;
      s.on('data', (d) => received.push(d));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => {
      conn?.destroy();
      server.close(() => r());
    }));
    const pbxPort = (server.address() as { port: number }).port;
    const { port } = await edge((p) => `sip:127.0.0.1:${p};transport=tcp`, pbxPort);

    uac.send(INVITE(port, uac.port), port);
    expect(((await uac.next()) as SipResponse).status).toBe(100);
    const deadline = Date.now() + 5000;
    while (!Buffer.concat(received).includes('\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const inv = parseMessage(Buffer.concat(received));
    if (isParseError(inv) || inv.type !== 'request') throw new Error('PBX got no INVITE');
    expect(inv.via[0]!.transport).toBe('TCP');
    expect(getHeaders(inv, 'Record-Route').length).toBe(2);
    conn!.write(Buffer.from(reply(inv, 486, 'Busy Here').replace(/\r?\n/g, '\r\n'), 'latin1'));
    const busy = (await uac.next()) as SipResponse;
    expect(busy.status).toBe(486);
  });

  it('is not an open relay: forged or foreign Routes never reach a third address', async () => {
    const uac = await udpPeer();
    const pbx = await udpPeer();
    const victim = await udpPeer();
    cleanup.push(() => {
      uac.sock.close();
      pbx.sock.close();
      victim.sock.close();
    });
    const { port } = await edge((p) => `sip:127.0.0.1:${p}`, pbx.port);
    const msg = (method: string, branch: string, toTag: string, route: string) => `${method} sip:victim@127.0.0.1:${victim.port} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${uac.port};branch=${branch};rport
Max-Forwards: 70
From: <sip:alice@127.0.0.1>;tag=a9
To: <sip:victim@127.0.0.1>${toTag}
Call-ID: relay-attempt-${branch}
CSeq: 1 ${method}
Route: ${route}
Content-Length: 0

`;
    uac.send(msg('BYE', 'z9hG4bKr1', ';tag=x', `<sip:127.0.0.1:${victim.port};lr>`), port);
    uac.send(msg('BYE', 'z9hG4bKr2', ';tag=x', `<sip:127.0.0.1:${port};lr;ert=AAAAAAAAAAAAAAAAAAAAAA>`), port);
    uac.send(msg('INVITE', 'z9hG4bKr3', '', `<sip:127.0.0.1:${victim.port};lr>`), port);
    const answers = [await uac.next(), await uac.next(), await uac.next()].map((m) => (m as SipResponse).status);
    expect(answers.sort()).toEqual([403, 403, 403]);
    await new Promise((r) => setTimeout(r, 300));
    expect(victim.inbox).toEqual([]);
    expect(pbx.inbox).toEqual([]);
  });
});
