// Secrets the test suite uses, and the scan that proves no captured log holds one.
//
// test/global-setup.ts creates a capture directory and names it in SIP_EDGE_TEST_CAPTURE_DIR.
// edge-process.ts tees every child's output into `<dir>/logs/`; tests call recordSecret for the
// passwords, tokens and HA1s they hand to the edge (one JSON line each in `<dir>/secrets.jsonl`).
// The global teardown runs scanLogDirectory and fails the run if any log holds any of them.
// Reports name the file and the kind of secret, never the secret itself.

import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const CAPTURE_DIR_ENV = 'SIP_EDGE_TEST_CAPTURE_DIR';
const SECRETS_FILE = 'secrets.jsonl';
export const LOGS_SUBDIR = 'logs';

export type SecretKind = 'password' | 'auth token' | 'HA1' | 'nonce secret' | 'authorization value';

export interface Secret {
  kind: SecretKind;
  value: string;
}

/** The capture directory of this run, or undefined outside the configured suite. */
export function captureDir(): string | undefined {
  const dir = process.env[CAPTURE_DIR_ENV];
  return dir === undefined || dir === '' ? undefined : dir;
}

/** Directory for captured child logs, or undefined when nothing is captured. */
export function logCaptureDir(): string | undefined {
  const dir = captureDir();
  return dir === undefined ? undefined : join(dir, LOGS_SUBDIR);
}

/** Notes a secret the suite handed to a process. Values shorter than 6 characters are too common to scan for. */
export function recordSecret(kind: SecretKind, value: string): void {
  const dir = captureDir();
  if (dir === undefined || value.length < 6) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, SECRETS_FILE), JSON.stringify({ kind, value }) + '\n');
}

/** The HA1 values (MD5, SHA-256, SHA-512/256) of a credential, hex. */
export function ha1Values(user: string, realm: string, password: string): string[] {
  const input = `${user}:${realm}:${password}`;
  return ['md5', 'sha256', 'sha512-256'].map((a) => createHash(a).update(input).digest('hex'));
}

/** Records a SIP credential: the password and its HA1 under every algorithm. */
export function recordCredential(user: string, password: string, realm = 'sip-edge'): void {
  recordSecret('password', password);
  for (const ha1 of ha1Values(user, realm, password)) recordSecret('HA1', ha1);
}

export function readSecrets(dir: string): Secret[] {
  const path = join(dir, SECRETS_FILE);
  if (!existsSync(path)) return [];
  const seen = new Set<string>();
  const out: Secret[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const s = JSON.parse(line) as Secret;
    if (seen.has(s.value)) continue;
    seen.add(s.value);
    out.push(s);
  }
  return out;
}

/** Kinds of secret found in `text` (HA1s also looked for in upper case). */
export function secretKindsIn(text: string, secrets: readonly Secret[]): Set<SecretKind> {
  const found = new Set<SecretKind>();
  for (const s of secrets) {
    if (text.includes(s.value) || (s.kind === 'HA1' && text.includes(s.value.toUpperCase()))) found.add(s.kind);
  }
  // An Authorization/Proxy-Authorization value in any form: a digest response or Basic credentials.
  if (/\bresponse="?[0-9a-f]{32}/i.test(text) || /\bBasic [A-Za-z0-9+/]{16,}={0,2}/.test(text)) found.add('authorization value');
  return found;
}

/** One line per captured log file holding a secret: "file: kind, kind". Empty when clean. */
export function scanLogDirectory(dir: string): string[] {
  const secrets = readSecrets(dir);
  const logs = join(dir, LOGS_SUBDIR);
  if (!existsSync(logs)) return [];
  const problems: string[] = [];
  for (const name of readdirSync(logs).sort()) {
    const kinds = secretKindsIn(readFileSync(join(logs, name), 'utf8'), secrets);
    if (kinds.size > 0) problems.push(`${name}: ${[...kinds].sort().join(', ')}`);
  }
  return problems;
}

/**
 * Secret literals written in test sources under `root`: strings assigned to a name or key that says
 * password, token or secret (8 characters or more), and any literal containing "Passw0rd" (the
 * suite's naming habit). Lets the suite-wide scan cover tests that never call recordSecret.
 */
export function harvestSecretLiterals(root: string): Secret[] {
  const out: Secret[] = [];
  const assigned = /(password|token|secret)\w*['"]?\s*[:=]\s*(['"])([^'"\r\n]{8,200})\2/gi;
  const habit = /(['"])([^'"\s]*Passw0rd[^'"\s]*)\1/g;
  for (const file of sourceFiles(root)) {
    if (file.endsWith('secrets.ts') || file.endsWith('global-setup.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(assigned)) out.push({ kind: kindOf(m[1]!), value: m[3]! });
    for (const m of text.matchAll(habit)) out.push({ kind: 'password', value: m[2]! });
  }
  // Values that look made up (a digit or a dash, no spaces), not words or messages.
  return out.filter((s) => !s.value.includes('${') && /[\d-]/.test(s.value) && !/\s/.test(s.value));
}

function kindOf(word: string): SecretKind {
  const w = word.toLowerCase();
  return w === 'token' ? 'auth token' : w === 'secret' ? 'nonce secret' : 'password';
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !relative(dir, path).startsWith('.')) files.push(path);
  }
  return files;
}
