// Suite-wide log secrecy (issue 8): before the run, a capture directory for the logs of every edge
// process the tests start (test/helpers/edge-process.ts tees into it) and for the secrets the tests
// used (test/helpers/secrets.ts); after the run, every captured log is scanned and the run fails
// naming the file and the kind of secret found, never the secret.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE_DIR_ENV, harvestSecretLiterals, LOGS_SUBDIR, recordSecret, scanLogDirectory } from './helpers/secrets.ts';
import { TEST_AUTH_TOKEN } from './helpers/twilio-api.ts';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'sip-edge-capture-'));
  mkdirSync(join(dir, LOGS_SUBDIR));
  process.env[CAPTURE_DIR_ENV] = dir;
  recordSecret('auth token', TEST_AUTH_TOKEN);
  // Also every secret literal in the test sources, for tests that do not record what they use.
  for (const s of harvestSecretLiterals(import.meta.dirname)) recordSecret(s.kind, s.value);
  return () => {
    const problems = scanLogDirectory(dir);
    if (problems.length > 0) {
      // Kept for inspection; the message names files and kinds only.
      throw new Error(`captured logs hold secrets (logs kept in ${dir}):\n${problems.join('\n')}`);
    }
    if (process.env.SIP_EDGE_KEEP_CAPTURE !== '1') rmSync(dir, { recursive: true, force: true });
    delete process.env[CAPTURE_DIR_ENV];
  };
}
