// Parse throughput: our parser beside the npm `sip` package's parse of the same bytes, one run.
// Run: node bench/parse.bench.ts
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { parseMessage } from '../src/sip/parse.ts';
import { TYPICAL_INVITE } from './invite.ts';

const sip = createRequire(import.meta.url)('sip') as { parse(b: Buffer): unknown };

const input = TYPICAL_INVITE;
const ours = parseMessage(input);
if (ours.kind === 'parse-error' || sip.parse(input) === undefined) {
  throw new Error('benchmark input must parse with both parsers');
}

let sink: unknown;
const bench = new Bench({ time: 2000, warmupTime: 500 });
bench
  .add('sip-edge parseMessage', () => {
    sink = parseMessage(input);
  })
  .add('npm sip.parse (baseline)', () => {
    sink = sip.parse(input);
  });
await bench.run();

console.log(`input: INVITE with SDP, ${input.length} bytes; node ${process.version}`);
const rows = bench.tasks.map((t) => {
  const r = t.result;
  if (r.state !== 'completed') throw new Error(`${t.name}: ${r.state}`);
  return { name: t.name, opsPerSec: r.throughput.mean, medianUs: r.latency.p50 * 1000 };
});
for (const row of rows) {
  console.log(`${row.name.padEnd(28)} ${Math.round(row.opsPerSec).toLocaleString('en-US').padStart(12)} ops/s` +
    `   median ${row.medianUs.toFixed(2)} µs`);
}
const [a, b] = rows;
console.log(`ratio: ${(a!.opsPerSec / b!.opsPerSec).toFixed(2)}x the sip package (target >= 3x)`);
void sink;
