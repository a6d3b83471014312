// Test harness: a real proxy core driven through its I/O boundary (fake send, manual clock,
// fixed resolver). Messages are real wire text parsed by src/sip.

import type { SipMessage, SipRequest, SipResponse } from '../../src/sip/message.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import { isParseError } from '../../src/sip/parse-error.ts';
import { createProxy } from '../../src/proxy/proxy.ts';
import type { Proxy, ProxyOptions } from '../../src/proxy/proxy.ts';
import { createHopResolver } from '../../src/proxy/resolver.ts';
import { createManualClock } from '../../src/proxy/timers.ts';
import type { Admission, Peer } from '../../src/proxy/types.ts';

export const EDGE = { host: '198.51.100.1', port: 5060 };
export const UAC: Peer = { transport: 'udp', address: '192.0.2.10', port: 5062 };
export const PBX: Peer = { transport: 'udp', address: '192.0.2.20', port: 5070 };

export interface Sent {
  to: Peer;
  msg: SipMessage;
  text: string;
}

export function parse(text: string): SipMessage {
  const m = parseMessage(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1'));
  if (isParseError(m)) throw new Error(`test message does not parse: ${m.reason}`);
  return m;
}

export function req(text: string): SipRequest {
  const m = parse(text);
  if (m.type !== 'request') throw new Error('not a request');
  return m;
}

export function res(text: string): SipResponse {
  const m = parse(text);
  if (m.type !== 'response') throw new Error('not a response');
  return m;
}

export function invite(opts: { callId?: string; branch?: string; extra?: string; uri?: string; method?: string; toTag?: string } = {}): string {
  const method = opts.method ?? 'INVITE';
  return `${method} ${opts.uri ?? 'sip:+15550001@pbx.example.com'} SIP/2.0
Via: SIP/2.0/UDP 192.0.2.10:5062;branch=${opts.branch ?? 'z9hG4bKuac1'};rport
Max-Forwards: 70
From: "Alice" <sip:alice@example.com>;tag=fromtag1
To: <sip:+15550001@pbx.example.com>${opts.toTag !== undefined ? `;tag=${opts.toTag}` : ''}
Call-ID: ${opts.callId ?? 'call-1@192.0.2.10'}
CSeq: 1 ${method}
Contact: <sip:alice@192.0.2.10:5062>
${opts.extra ?? ''}Content-Length: 0

`;
}

/** A BYE from the PBX towards the caller (caller tag in To), through the Record-Route the edge stamped. */
export function pbxBye(recordRoute: string): SipRequest {
  return req(`BYE sip:alice@192.0.2.10:5062 SIP/2.0
Via: SIP/2.0/UDP 192.0.2.20:5070;branch=z9hG4bKpbxbye
Max-Forwards: 70
From: <sip:+15550001@pbx.example.com>;tag=pbxtag
To: "Alice" <sip:alice@example.com>;tag=fromtag1
Call-ID: call-1@192.0.2.10
CSeq: 1 BYE
Route: ${recordRoute}
Content-Length: 0

`);
}

/** A response to a forwarded request, built from what the proxy sent (all Vias copied). */
export function answer(forwarded: SipRequest, status: number, reason: string, toTag = 'pbxtag', extra = ''): SipResponse {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const h of forwarded.headers) {
    const n = h.name.toLowerCase();
    if (n === 'via' || n === 'from' || n === 'call-id' || n === 'cseq' || n === 'record-route') lines.push(`${h.name}: ${h.value}`);
    if (n === 'to') lines.push(`To: ${h.value}${status > 100 && !h.value.includes('tag=') ? `;tag=${toTag}` : ''}`);
  }
  if (status >= 200 && status < 300) lines.push(`Contact: <sip:pbx@${PBX.address}:${PBX.port}>`);
  return res(`${lines.join('\n')}\n${extra}Content-Length: 0\n\n`);
}

export interface Harness {
  proxy: Proxy;
  clock: ReturnType<typeof createManualClock>;
  sent: Sent[];
  admits: number;
  take(): Sent[];
  failNext: Set<string>;
}

export function harness(admit: (r: SipRequest, s: Peer) => Admission | Promise<Admission>, extra: Partial<ProxyOptions> = {}): Harness {
  const clock = createManualClock();
  const h: Harness = {
    proxy: undefined as unknown as Proxy,
    clock,
    sent: [],
    admits: 0,
    failNext: new Set(),
    take() {
      const out = h.sent;
      h.sent = [];
      return out;
    },
  };
  h.proxy = createProxy({
    advertisedHost: EDGE.host,
    advertisedPort: EDGE.port,
    realm: 'sip-edge',
    routeSecret: 'test-secret',
    clock,
    random: () => 0,
    resolver: createHopResolver({
      dns: {
        resolve4: async () => [],
        resolve6: async () => [],
        resolveSrv: async () => [],
      },
    }),
    send: (to, bytes, onError) => {
      const key = `${to.address}:${to.port}`;
      if (h.failNext.has(key)) {
        onError?.(new Error('ECONNREFUSED'));
        return;
      }
      const text = bytes.toString('latin1');
      h.sent.push({ to, msg: parse(text), text });
    },
    admit: (r, s) => {
      h.admits++;
      return admit(r, s);
    },
    ...extra,
  });
  return h;
}

export function accept(targets: string[], more: Partial<Extract<Admission, { kind: 'accept' }>> = {}): Admission {
  return {
    kind: 'accept',
    accountSid: 'AC00000000000000000000000000000001',
    targetSid: 'SD00000000000000000000000000000001',
    auth: { method: 'digest', user: 'alice' },
    targets: targets.map((uri, i) => ({ uri, priority: 10 + i, weight: 1 })),
    ...more,
  };
}
