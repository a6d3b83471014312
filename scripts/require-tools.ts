// Before the test suite: redis-server and sipp must be on PATH (SPEC §1). When one is missing and
// apt-get is usable (root), install its Debian package; otherwise fail with one line naming it.
import { execFileSync, spawnSync } from 'node:child_process';

const tools: Array<[binary: string, debianPackage: string]> = [
  ['redis-server', 'redis-server'],
  ['sipp', 'sip-tester'],
];

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

const missing = tools.filter(([binary]) => !onPath(binary));
if (missing.length > 0) {
  const packages = missing.map(([, pkg]) => pkg);
  const canApt = process.getuid?.() === 0 && onPath('apt-get');
  if (canApt) {
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      // reported below
    }
  }
  const still = missing.filter(([binary]) => !onPath(binary));
  if (still.length > 0) {
    for (const [binary, pkg] of still) console.error(`missing ${binary}: install the Debian package ${pkg}`);
    process.exit(1);
  }
}
