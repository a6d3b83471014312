// ACL lookups: `node bench/acl.bench.ts`. Our compiled matcher (parse + binary search over merged
// ranges) beside a baseline that parses with node:net's BlockList, built from the same 100 prefixes,
// measured in the same run. BATCH lookups per task call so timer overhead does not dominate.
import { BlockList } from 'node:net';
import { Bench } from 'tinybench';
import { compileAcl } from '../src/acl/matcher.ts';
import type { AclPrefix } from '../src/acl/prefix.ts';

const BATCH = 1000;
const prefixes: AclPrefix[] = [];
for (let i = 0; i < 50; i++) prefixes.push({ address: `10.${i}.${i * 3}.0`, prefixLength: 24 });
for (let i = 0; i < 50; i++) prefixes.push({ address: `2001:db8:${i.toString(16)}::`, prefixLength: 48 });

const matcher = compileAcl(prefixes);
const blockList = new BlockList();
for (const p of prefixes) blockList.addSubnet(p.address, p.prefixLength, p.address.includes(':') ? 'ipv6' : 'ipv4');

const v4 = Array.from({ length: 64 }, (_, i) => `10.${i % 60}.${(i % 60) * 3}.${i * 3}`);
const v6 = Array.from({ length: 64 }, (_, i) => `2001:db8:${(i % 60).toString(16)}::${i.toString(16)}`);
const mapped = v4.map((a) => `::ffff:${a}`);
for (const list of [v4, v6]) {
  for (const a of list) {
    if (matcher.contains(a) !== blockList.check(a, a.includes(':') ? 'ipv6' : 'ipv4')) throw new Error(`disagree on ${a}`);
  }
}

let sink = 0;
const bench = new Bench({ name: 'acl', time: 1000, warmupTime: 200 });
bench
  .add('IPv4 lookup: ours', () => {
    for (let i = 0; i < BATCH; i++) if (matcher.contains(v4[i & 63])) sink++;
  })
  .add('IPv4 lookup: node:net BlockList', () => {
    for (let i = 0; i < BATCH; i++) if (blockList.check(v4[i & 63], 'ipv4')) sink++;
  })
  .add('IPv6 lookup: ours', () => {
    for (let i = 0; i < BATCH; i++) if (matcher.contains(v6[i & 63])) sink++;
  })
  .add('IPv6 lookup: node:net BlockList', () => {
    for (let i = 0; i < BATCH; i++) if (blockList.check(v6[i & 63], 'ipv6')) sink++;
  })
  .add('IPv4-mapped lookup: ours', () => {
    for (let i = 0; i < BATCH; i++) if (matcher.contains(mapped[i & 63])) sink++;
  })
  .add('compile 100 prefixes: ours', () => {
    sink += compileAcl(prefixes).ranges;
  });
await bench.run();

const rows = bench.tasks.map((task) => {
  const r = task.result;
  if (r.state !== 'completed') return { task: task.name, 'ops/s': 'failed' };
  const perCall = task.name.startsWith('compile') ? 1 : BATCH;
  const perSecond = (perCall * 1000) / r.period;
  return { task: task.name, 'ops/s': Math.round(perSecond).toLocaleString('en-US'), 'ns/op': (1e9 / perSecond).toFixed(0) };
});
console.table(rows);
console.log(`${prefixes.length} prefixes, ${matcher.ranges} merged ranges, node ${process.version}, sink ${sink > 0}`);
