// Parse throughput: our parser beside the npm `sip` package's parse of the same bytes, one run.
// Run: node bench/parse.bench.ts
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { parseMessage } from '../src/sip/parse.ts';

// A typical INVITE with SDP (about 900 bytes), as a softphone behind NAT would send it.
const sdp = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 198.51.100.7',
  's=-',
  'c=IN IP4 198.51.100.7',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=rtcp:49171 IN IP4 198.51.100.7',
  'a=sendrecv',
  '',
].join('\r\n');

const head = [
  'INVITE sip:+14155550123@pbx.example.com;user=phone SIP/2.0',
  'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'From: "Alice Smith" <sip:alice@example.com>;tag=1928301774',
  'To: <sip:+14155550123@pbx.example.com;user=phone>',
  'Call-ID: a84b4c76e66710@198.51.100.7',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@198.51.100.7:5060;transport=udp>',
  'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY',
  'Supported: replaces, timer',
  'Accept: application/sdp, application/dtmf-relay',
  'Allow-Events: talk, hold, conference, refer, check-sync',
  'User-Agent: ExamplePhone/5.2.1',
  'Session-Expires: 1800',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(sdp)}`,
  '',
  '',
].join('\r\n');

const TYPICAL_INVITE = Buffer.from(head + sdp, 'latin1');

const sip = createRequire(import.meta.url)('sip') as { parse(b: Buffer): unknown };

const input = TYPICAL_INVITE;
const ours = parseMessage(input);
if (ours.kind === 'parse-error' || sip.parse(input) === undefined) {
  throw new Error('benchmark input must parse with both parsers');
}

let sink: unknown;
const tasks: Array<[string, () => void]> = [
  ['sip-edge parseMessage', () => { sink = parseMessage(input); }],
  ['npm sip.parse (baseline)', () => { sink = sip.parse(input); }],
];

// The machine is shared: several short interleaved rounds, keeping each task's best round
// (the least disturbed) and the median over rounds, so a busy moment does not decide the ratio.
const ROUNDS = 7;
const perTask = new Map<string, Array<{ ops: number; medianUs: number }>>();
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: 400, warmupTime: 100 });
  const order = round % 2 === 0 ? tasks : [...tasks].reverse();
  for (const [name, fn] of order) bench.add(name, fn);
  await bench.run();
  for (const t of bench.tasks) {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`${t.name}: ${r.state}`);
    const list = perTask.get(t.name) ?? [];
    list.push({ ops: r.throughput.mean, medianUs: r.latency.p50 * 1000 });
    perTask.set(t.name, list);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
};
console.log(`input: INVITE with SDP, ${input.length} bytes; node ${process.version}; ${ROUNDS} rounds`);
const summary = tasks.map(([name]) => {
  const list = perTask.get(name)!;
  const best = list.reduce((x, y) => (y.ops > x.ops ? y : x));
  const medOps = median(list.map((x) => x.ops));
  console.log(`${name.padEnd(28)} best ${Math.round(best.ops).toLocaleString('en-US').padStart(10)} ops/s ` +
    `(median latency ${best.medianUs.toFixed(2)} µs)   median round ${Math.round(medOps).toLocaleString('en-US')} ops/s`);
  return { best: best.ops, medOps };
});
const [mine, theirs] = summary;
console.log(`ratio: best ${(mine!.best / theirs!.best).toFixed(2)}x, median round ` +
  `${(mine!.medOps / theirs!.medOps).toFixed(2)}x the sip package (target >= 3x)`);
void sink;
