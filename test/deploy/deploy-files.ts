// Loads deploy/ for the deploy tests: YAML documents, the dashboard, the env files, and the names
// the code and the spec define.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const root = resolve(import.meta.dirname, '../..');
export const deployDir = join(root, 'deploy');

export function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, pattern));
    else if (pattern.test(name)) out.push(relative(root, path));
  }
  return out.sort();
}

export type Json = Record<string, unknown>;

/** Every YAML document under deploy/, parsed strictly; throws on any YAML error. */
export function yamlDocuments(path: string): Json[] {
  const docs = parseAllDocuments(read(path), { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Json;
  }).filter((doc) => doc !== null && doc !== undefined);
}

/** `NAME=value` lines of an env file, including commented-out examples (`# NAME=...`). */
export function envFileNames(path: string): string[] {
  const names: string[] = [];
  for (const line of read(path).split('\n')) {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line.trim());
    if (match) names.push(match[1]!);
  }
  return names;
}

/**
 * Environment names of SPEC §1's configuration table (../shared/SPEC.md beside the repository;
 * on a clone without it, the README's configuration table).
 */
export function specEnvNames(): Set<string> {
  const spec = resolve(root, '../shared/SPEC.md');
  const source = existsSync(spec) ? readFileSync(spec, 'utf8') : read('README.md');
  const names = new Set<string>();
  for (const line of source.split('\n')) {
    const cell = /^\|\s*([A-Z][A-Z0-9_]*(?:\s*\/\s*[A-Z][A-Z0-9_]*)*)\s*\|/.exec(line);
    if (!cell) continue;
    for (const name of cell[1]!.split('/')) names.add(name.trim());
  }
  if (names.size < 10) throw new Error('no configuration table found in ../shared/SPEC.md or README.md');
  return names;
}

export interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  livenessProbe?: { httpGet?: { path: string; port: number | string } };
  readinessProbe?: { httpGet?: { path: string; port: number | string } };
}

export function k8sObjects(): Json[] {
  return filesUnder(join(deployDir, 'k8s'), /\.ya?ml$/).flatMap((path) => yamlDocuments(path));
}

export function containersOf(objects: Json[]): Container[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .flatMap((o) => ((o.spec as Json).template as { spec: { containers: Container[] } }).spec.containers);
}
