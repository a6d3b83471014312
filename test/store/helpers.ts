import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openSqliteStore } from '../../src/store/sqlite/store.ts';
import type { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { DomainFields } from '../../src/store/types.ts';
import { DOMAIN_DEFAULTS } from '../../src/store/domain-defaults.ts';

export function tempStore(): { store: SqliteStore; dir: string; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'sip-edge-store-'));
  const store = openSqliteStore({ dataDir: dir });
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const tokenHash = (s: string) => createHash('sha256').update(s).digest();

export function domainFields(domainName: string, extra: Partial<DomainFields> = {}): DomainFields {
  return { domainName, ...DOMAIN_DEFAULTS, ...extra };
}

export const HA1 = (tag: string) => ({ md5: tag.padEnd(32, '0'), sha256: tag.padEnd(64, '1'), sha512_256: tag.padEnd(64, '2') });
