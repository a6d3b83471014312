// Digest verification throughput: `node bench/digest.bench.ts`.
// A full verification is HA2 + response + constant-time comparison against the received response,
// given the stored HA1. Ours (src/auth/verify.ts) runs beside baselines measured in the same run:
// a plain node:crypto createHash implementation, the one-shot crypto.hash with string concatenation
// (a losing candidate for the hot path, kept here as a reference) and the npm `sip` package's digest
// module. Each task verifies BATCH responses per call so timer overhead does not dominate.
// Inputs are what the gate hands over: credentials parsed by src/auth/credentials.ts from SIPp-style
// Proxy-Authorization values that are slices of a latin1-decoded message, as the SIP layer makes
// them; every op verifies a distinct request (64 users, nc, cnonce and uri differ) from scratch.
// The credentials parser is measured too, beside a naive split-based parser and the npm sip
// package's message parser on a one-header request.
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { Bench } from 'tinybench';
import { parseCredentials, parseCredentialsText, type DigestCredentials } from '../src/auth/credentials.ts';
import { deriveHa1, prepareHa1 } from '../src/auth/ha1.ts';
import { NonceService } from '../src/auth/nonce.ts';
import { verifyDigest, verifyDigestPrepared, type DigestInput } from '../src/auth/verify.ts';

const require = createRequire(import.meta.url);
const sipDigest = require('sip/digest.js') as {
  calculateDigest(ctx: Record<string, string | undefined>): string;
};
const sipParse = (require('sip') as { parse(text: string): { headers: Record<string, unknown> } | undefined }).parse;

const BATCH = 1000;
const method = 'INVITE';
const realm = 'sip-edge';
// 64 users, each request from a different one.
const users = Array.from({ length: 64 }, (_, i) => deriveHa1(`user${i}`, realm, `Correct-Horse-${i}`));
// Built once per user record (as the gate's compiled view would), never lazily per request.
const prepared = users.map(prepareHa1);
const nonces = new NonceService({ secret: 'bench-secret', realm, ttlSeconds: 300 });
const nonce = nonces.mint('192.0.2.10');

function responseFor(algorithm: 'md5' | 'sha256', ha1Hex: string, uri: string, nc: string, cnonce: string): string {
  const ha2 = hash(algorithm, `${method}:${uri}`, 'hex');
  return hash(algorithm, `${ha1Hex}:${nonce}:${nc}:${cnonce}:auth:${ha2}`, 'hex');
}

/** A header value as the SIP layer hands it over: a slice of the latin1-decoded message. */
function asReceived(value: string): string {
  const message = Buffer.from(`INVITE sip:bob@192.0.2.1 SIP/2.0\r\nProxy-Authorization: ${value}\r\nContent-Length: 0\r\n\r\n`).toString('latin1');
  const start = message.indexOf('Digest');
  return message.slice(start, message.indexOf('\r\n', start));
}

// A set of distinct credentials (as SIPp sends them: uri sip:host:port, 8-digit nc, short cnonce).
const md5Values: string[] = [];
const md5Inputs: DigestCredentials[] = [];
const sha256Inputs: DigestCredentials[] = [];
for (let i = 0; i < 64; i++) {
  const uri = `sip:192.0.2.${i}:5060`;
  const nc = (i + 1).toString(16).padStart(8, '0');
  const cnonce = (0x5f3759df + i * 7919).toString(16);
  const fields = `username="user${i}", realm="${realm}", nonce="${nonce}", uri="${uri}"`;
  const md5Value = asReceived(`Digest ${fields}, response="${responseFor('md5', users[i].md5, uri, nc, cnonce)}", algorithm=MD5, cnonce="${cnonce}", qop=auth, nc=${nc}`);
  const shaValue = asReceived(`Digest ${fields}, response="${responseFor('sha256', users[i].sha256, uri, nc, cnonce)}", algorithm=SHA-256, cnonce="${cnonce}", qop=auth, nc=${nc}`);
  const md5 = parseCredentials(md5Value);
  const sha = parseCredentials(shaValue);
  if (!md5.ok || !sha.ok) throw new Error('bench credentials do not parse');
  md5Values.push(md5Value);
  md5Inputs.push(md5.credentials);
  sha256Inputs.push(sha.credentials);
}
/** The same MD5 inputs as plain objects (no parsed bytes): verifyDigest reads their strings. */
const md5PlainInputs: DigestInput[] = md5Inputs.map((c) => ({ ...c }));

function createHashVerify(algorithm: string, ha1Hex: string, c: DigestInput): boolean {
  const ha2 = createHash(algorithm).update(`${method}:${c.uri}`).digest('hex');
  const response = createHash(algorithm)
    .update(`${ha1Hex}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`)
    .digest();
  const expected = Buffer.from(c.response, 'hex');
  return expected.length === response.length && timingSafeEqual(response, expected);
}

function oneShotVerify(algorithm: string, ha1Hex: string, c: DigestInput): boolean {
  const ha2 = hash(algorithm, `${method}:${c.uri}`, 'hex');
  const response = hash(algorithm, `${ha1Hex}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`, 'buffer');
  const expected = Buffer.from(c.response, 'hex');
  return expected.length === response.length && timingSafeEqual(response, expected);
}

function sipPackageVerify(ha1Hex: string, c: DigestInput): boolean {
  const ctx = { ha1: ha1Hex, method, nonce: c.nonce, nc: c.nc ?? undefined, cnonce: c.cnonce ?? undefined, qop: c.qop ?? undefined, uri: c.uri };
  return sipDigest.calculateDigest(ctx) === c.response;
}

// Sanity: every implementation accepts every input before anything is timed.
md5Inputs.forEach((c, i) => {
  const ha1 = users[i];
  const ok =
    verifyDigestPrepared(c, method, prepared[i]) &&
    verifyDigest(c, method, ha1) &&
    verifyDigest(md5PlainInputs[i], method, ha1) &&
    !verifyDigestPrepared(c, method, null) &&
    !verifyDigestPrepared(c, method, prepared[(i + 1) & 63]);
  if (!ok || !createHashVerify('md5', ha1.md5, c) || !oneShotVerify('md5', ha1.md5, c) || !sipPackageVerify(ha1.md5, c)) {
    throw new Error('MD5 implementations disagree');
  }
});
sha256Inputs.forEach((c, i) => {
  if (!verifyDigest(c, method, users[i]) || !createHashVerify('sha256', users[i].sha256, c)) throw new Error('SHA-256 implementations disagree');
});

let sink = 0;
type Verify = (c: DigestInput, i: number) => boolean;
function batch(inputs: DigestInput[], verify: Verify): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) if (verify(inputs[i & 63], i & 63)) sink++;
  };
}

// ---- credentials parsing
/** Baseline: split on commas and '=', strip quotes; no escapes, no validation (not a correct parser). */
function naiveParse(value: string): Record<string, string> | null {
  if (!value.startsWith('Digest ')) return null;
  const out: Record<string, string> = {};
  for (const part of value.slice(7).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const name = part.slice(0, eq).trim().toLowerCase();
    let v = part.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    out[name] = v;
  }
  return out.response !== undefined && out.nonce !== undefined ? out : null;
}
/** The npm sip package parses auth params inside its message parser: a request with only this header. */
const sipMessages = md5Values.map((v) => `INVITE sip:bob@192.0.2.1 SIP/2.0\r\nProxy-Authorization: ${v}\r\n\r\n`);
md5Values.forEach((v, i) => {
  const ours = parseCredentials(v);
  const text = parseCredentialsText(v);
  const naive = naiveParse(v);
  const sip = sipParse(sipMessages[i]);
  if (!ours.ok || !text.ok || naive?.response !== ours.credentials.response || text.credentials.nc !== ours.credentials.nc || sip === undefined) {
    throw new Error('credentials parsers disagree');
  }
});
function parseBatch(parse: (i: number) => unknown): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) if (parse(i & 63) !== null) sink++;
  };
}

const sources = Array.from({ length: 64 }, (_, i) => `198.51.100.${i}`);
const minted = sources.map((s) => nonces.mint(s));

const OURS = 'MD5 verify: ours, verifyDigestPrepared (parsed credentials)';
const OURS_PLAIN = 'MD5 verify: ours, verifyDigest (HA1 strings, parsed credentials)';
const OURS_STRINGS = 'MD5 verify: ours, verifyDigest (HA1 strings, plain-object input)';
const BASELINE = 'MD5 verify: crypto.createHash baseline';
const SIP_PACKAGE = 'MD5 verify: npm sip digest module';
const PARSE = 'credentials parse: ours (parseCredentials)';
const PARSE_TEXT = 'credentials parse: parseCredentialsText (char-by-char, the previous parser)';
const PARSE_NAIVE = 'credentials parse: naive split baseline (no grammar)';
const PARSE_SIP = 'credentials parse: npm sip parse, one-header request';
const md5Ours = batch(md5Inputs, (c, i) => verifyDigestPrepared(c, method, prepared[i]));
const md5OursPlain = batch(md5Inputs, (c, i) => verifyDigest(c, method, users[i]));
const md5OursStrings = batch(md5PlainInputs, (c, i) => verifyDigest(c, method, users[i]));
const md5Baseline = batch(md5Inputs, (c, i) => createHashVerify('md5', users[i].md5, c));
const md5SipPackage = batch(md5Inputs, (c, i) => sipPackageVerify(users[i].md5, c));
const parseOurs = parseBatch((i) => (parseCredentials(md5Values[i]).ok ? 1 : null));
const parseText = parseBatch((i) => (parseCredentialsText(md5Values[i]).ok ? 1 : null));
const parseNaive = parseBatch((i) => naiveParse(md5Values[i]));
const parseSip = parseBatch((i) => sipParse(sipMessages[i]) ?? null);
const bench = new Bench({ name: 'digest', time: 1500, warmupTime: 300 });
bench
  .add(OURS, md5Ours)
  .add(OURS_PLAIN, md5OursPlain)
  .add(OURS_STRINGS, md5OursStrings)
  .add(BASELINE, md5Baseline)
  .add('MD5 verify: crypto.hash one-shot, strings', batch(md5Inputs, (c, i) => oneShotVerify('md5', users[i].md5, c)))
  .add(SIP_PACKAGE, md5SipPackage)
  .add('MD5 verify: ours prepared, unknown user (dummy HA1)', batch(md5Inputs, (c) => verifyDigestPrepared(c, method, null)))
  .add('MD5 verify: ours prepared, wrong password', batch(md5Inputs, (c, i) => verifyDigestPrepared(c, method, prepared[(i + 1) & 63])))
  .add('SHA-256 verify: ours', batch(sha256Inputs, (c, i) => verifyDigest(c, method, users[i])))
  .add('SHA-256 verify: crypto.createHash baseline', batch(sha256Inputs, (c, i) => createHashVerify('sha256', users[i].sha256, c)))
  .add(PARSE, parseOurs)
  .add(PARSE_TEXT, parseText)
  .add(PARSE_NAIVE, parseNaive)
  .add(PARSE_SIP, parseSip)
  .add('nonce mint', () => {
    for (let i = 0; i < BATCH; i++) sink += nonces.mint(sources[i & 63]).length;
  })
  .add('nonce verify', () => {
    for (let i = 0; i < BATCH; i++) if (nonces.verify(minted[i & 63], sources[i & 63]) === 'valid') sink++;
  });

await bench.run();

// Wall-clock figures depend on what else runs on the machine; CPU time per verification (this
// thread's user+system time) is the per-core figure. Measured right after tinybench, same process,
// as the median of five rounds.
// process.threadCpuUsage (Node 23.9+) counts this thread only; process.cpuUsage would add the GC
// and compiler helper threads, which the tasks measured before leave busy.
const threadCpu = (previous?: NodeJS.CpuUsage): NodeJS.CpuUsage =>
  typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage(previous) : process.cpuUsage(previous);
const cpuRate = new Map<string, number>();
const cpuTasks = [
  [OURS, md5Ours, 2000],
  [OURS_PLAIN, md5OursPlain, 1500],
  [OURS_STRINGS, md5OursStrings, 1500],
  [BASELINE, md5Baseline, 300],
  [SIP_PACKAGE, md5SipPackage, 300],
  [PARSE, parseOurs, 1500],
  [PARSE_TEXT, parseText, 600],
  [PARSE_NAIVE, parseNaive, 600],
  [PARSE_SIP, parseSip, 150],
] as const;
// Five rounds per task, the median kept: a GC or a busy neighbour in one round moves it less.
const CPU_ROUNDS = 5;
for (const [name, fn, calls] of cpuTasks) {
  const perRound = Math.ceil(calls / CPU_ROUNDS);
  const rates: number[] = [];
  for (let r = 0; r < CPU_ROUNDS; r++) {
    const start = threadCpu();
    for (let i = 0; i < perRound; i++) fn();
    const used = threadCpu(start);
    rates.push((perRound * BATCH * 1e6) / (used.user + used.system));
  }
  rates.sort((a, b) => a - b);
  cpuRate.set(name, rates[CPU_ROUNDS >> 1]!);
}

const rows: Record<string, string>[] = [];
const rate = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== 'completed') {
    rows.push({ task: task.name, 'ops/s': 'failed' });
    continue;
  }
  const perSecond = (BATCH * 1000) / result.period;
  rate.set(task.name, perSecond);
  rows.push({
    task: task.name,
    'ops/s': Math.round(perSecond).toLocaleString('en-US'),
    'ns/op': (1e9 / perSecond).toFixed(0),
    '±%': result.latency.rme.toFixed(1),
    'per CPU-second': cpuRate.has(task.name) ? Math.round(cpuRate.get(task.name) ?? 0).toLocaleString('en-US') : '',
  });
}
console.table(rows);
const ours = rate.get(OURS) ?? 0;
const base = rate.get(BASELINE) ?? 1;
const sip = rate.get(SIP_PACKAGE) ?? 1;
const oursCpu = cpuRate.get(OURS) ?? 0;
console.log(
  `MD5 full verification (wall clock): ours ${(ours / 1e6).toFixed(2)} M/s = ${(ours / base).toFixed(2)}x createHash, ${(ours / sip).toFixed(2)}x sip package`,
);
console.log(
  `MD5 full verification per CPU-second: ours ${(oursCpu / 1e6).toFixed(2)} M = ${(oursCpu / (cpuRate.get(BASELINE) ?? 1)).toFixed(2)}x createHash, ` +
    `${(oursCpu / (cpuRate.get(SIP_PACKAGE) ?? 1)).toFixed(2)}x sip package (node ${process.version}, load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores, sink ${sink > 0})`,
);
const parseCpu = cpuRate.get(PARSE) ?? 0;
console.log(
  `Credentials parse (SIPp MD5 qop=auth value): ours ${(1e9 / (rate.get(PARSE) ?? 1)).toFixed(0)} ns wall, ${(1e9 / parseCpu).toFixed(0)} ns per CPU = ` +
    `${(parseCpu / (cpuRate.get(PARSE_TEXT) ?? 1)).toFixed(2)}x the char-by-char parser, ${(parseCpu / (cpuRate.get(PARSE_NAIVE) ?? 1)).toFixed(2)}x naive split, ` +
    `${(parseCpu / (cpuRate.get(PARSE_SIP) ?? 1)).toFixed(2)}x npm sip parse`,
);
