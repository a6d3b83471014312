// Loads the RFC 4475 torture-test corpus from ../shared/conformance/rfc4475 (repo-relative).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/conformance/rfc4475/', import.meta.url));

export interface CorpusEntry {
  file: string;
  section: string;
  kind: 'request' | 'response';
  parse: 'accept' | 'reject' | 'either';
  edge: string;
  bytes: Buffer;
}

export function loadCorpus(): CorpusEntry[] {
  const manifest = JSON.parse(readFileSync(CORPUS_DIR + 'manifest.json', 'utf8')) as {
    messages: Record<string, Omit<CorpusEntry, 'file' | 'bytes'>>;
  };
  return Object.entries(manifest.messages).map(([file, m]) => ({
    ...m,
    file,
    bytes: readFileSync(CORPUS_DIR + file),
  }));
}
