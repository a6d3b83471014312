// The proxy core alone: `node bench/sipp/proxy-core.bench.ts`. One task = one whole call through the
// proxy (INVITE → 100 + forwarded INVITE, 180, 200, ACK, BYE, 200), every message parsed from
// bytes and the proxy's output serialised, send a no-op. Baseline measured in the same run: the
// same messages only parsed and serialised once each (what a stateless relay cannot avoid), so
// the difference is the cost of transactions, routing, tokens and header edits.

import { Bench } from 'tinybench';
import { createProxy } from '../../src/proxy/proxy.ts';
import type { Peer } from '../../src/proxy/types.ts';
import type { SipMessage, SipRequest } from '../../src/sip/message.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import { isParseError } from '../../src/sip/parse-error.ts';
import { serializeMessage } from '../../src/sip/serialize.ts';

const UAC: Peer = { transport: 'udp', address: '10.0.0.10', port: 5062 };
const PBX: Peer = { transport: 'udp', address: '10.0.0.20', port: 5070 };
const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');

function parse(b: Buffer): SipMessage {
  const m = parseMessage(b);
  if (isParseError(m)) throw new Error(m.reason);
  return m;
}

function invite(n: number): Buffer {
  return crlf(`INVITE sip:+15550001@edge.example.com SIP/2.0
Via: SIP/2.0/UDP 10.0.0.10:5062;branch=z9hG4bK-c${n}-1;rport
Max-Forwards: 70
From: "sipp" <sip:sipp@10.0.0.10:5062>;tag=${n}SIPpTag00
To: <sip:+15550001@edge.example.com>
Call-ID: ${n}-bench@10.0.0.10
CSeq: 2 INVITE
Contact: <sip:sipp@10.0.0.10:5062>
Proxy-Authorization: Digest username="bench",realm="sip-edge",nonce="abc",uri="sip:10.0.0.1:5060",response="0123456789abcdef0123456789abcdef",algorithm=MD5
Content-Type: application/sdp
Content-Length: 0

`);
}

/** A PBX response to the forwarded request text (Vias, From, To, Call-ID, CSeq, Record-Route). */
function pbxResponse(forwarded: Buffer, status: string): Buffer {
  const text = forwarded.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  let out = `SIP/2.0 ${status}\r\n`;
  for (const line of head.split('\r\n').slice(1)) {
    const name = line.slice(0, line.indexOf(':')).toLowerCase();
    if (name === 'via' || name === 'from' || name === 'call-id' || name === 'cseq' || name === 'record-route') out += `${line}\r\n`;
    else if (name === 'to') out += line.includes('tag=') ? `${line}\r\n` : `${line};tag=pbx\r\n`;
  }
  return Buffer.from(`${out}Contact: <sip:pbx@10.0.0.20:5070>\r\nContent-Length: 0\r\n\r\n`, 'latin1');
}

function inDialog(n: number, method: string, cseq: string, route: string): Buffer {
  return crlf(`${method} sip:pbx@10.0.0.20:5070 SIP/2.0
Via: SIP/2.0/UDP 10.0.0.10:5062;branch=z9hG4bK-c${n}-${method};rport
Max-Forwards: 70
From: "sipp" <sip:sipp@10.0.0.10:5062>;tag=${n}SIPpTag00
To: <sip:+15550001@edge.example.com>;tag=pbx
Call-ID: ${n}-bench@10.0.0.10
CSeq: ${cseq}
Route: ${route}
Content-Length: 0

`);
}

let lastToPbx: Buffer = Buffer.alloc(0);
let lastInvite: Buffer = Buffer.alloc(0);
let sent = 0;
const proxy = createProxy({
  advertisedHost: '10.0.0.1', advertisedPort: 5060, realm: 'sip-edge', routeSecret: 'bench-secret-0123456789',
  send: (to, bytes) => {
    sent++;
    if (to.address === PBX.address) lastToPbx = bytes;
  },
  admit: () => ({
    kind: 'accept', accountSid: 'AC1', targetSid: 'SD1', auth: { method: 'digest', user: 'bench' },
    targets: [{ uri: 'sip:10.0.0.20:5070', priority: 10, weight: 1 }],
  }),
});

function call(n: number): void {
  proxy.handleRequest(parse(invite(n)) as SipRequest, UAC);
  const fwd = lastToPbx;
  lastInvite = fwd;
  const rr = /Record-Route: ([^\r]*)/.exec(fwd.toString('latin1', 0, 600))![1]!;
  proxy.handleResponse(parse(pbxResponse(fwd, '180 Ringing')) as never, PBX);
  proxy.handleResponse(parse(pbxResponse(fwd, '200 OK')) as never, PBX);
  proxy.handleRequest(parse(inDialog(n, 'ACK', '2 ACK', rr)) as SipRequest, UAC);
  proxy.handleRequest(parse(inDialog(n, 'BYE', '3 BYE', rr)) as SipRequest, UAC);
  proxy.handleResponse(parse(pbxResponse(lastToPbx, '200 OK')) as never, PBX);
}

// Baseline: the same seven messages parsed and serialised once each, no proxy.
const sampleFwd = (() => {
  call(0);
  return lastInvite;
})();
const sampleRr = /Record-Route: ([^\r]*)/.exec(sampleFwd.toString('latin1', 0, 600))![1]!;
let sink = 0;
function baseline(n: number): void {
  const msgs = [
    invite(n), sampleFwd, pbxResponse(sampleFwd, '180 Ringing'), pbxResponse(sampleFwd, '200 OK'),
    inDialog(n, 'ACK', '2 ACK', sampleRr), inDialog(n, 'BYE', '3 BYE', sampleRr), pbxResponse(sampleFwd, '200 OK'),
  ];
  for (const m of msgs) sink += serializeMessage(parse(m)).length;
}

let n = 1;
const bench = new Bench({ name: 'proxy core', time: 2000, warmupTime: 300 });
bench
  .add('call through the proxy core (7 messages in, 8 out)', () => call(n++))
  .add('baseline: same messages parsed + serialised once', () => baseline(n++));
await bench.run();
console.table(bench.table());
for (const t of bench.tasks) {
  const hz = t.result && 'throughput' in t.result ? (t.result as { throughput: { mean: number } }).throughput.mean : NaN;
  console.log(`${t.name}: ${Math.round(hz)} calls/s on one core`);
}
console.log(`(messages sent by the proxy: ${sent}; open transactions now: ${JSON.stringify(proxy.stats())}; sink ${sink})`);
proxy.close();
