import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from './deploy-files.ts';

/** Section → key → values of a systemd unit file. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair || current === undefined) throw new Error(`not a unit file line: ${line}`);
    current.set(pair[1]!, [...(current.get(pair[1]!) ?? []), pair[2]!]);
  }
  return sections;
}

describe('systemd unit', () => {
  const text = read('deploy/systemd/sip-edge.service');

  it('runs the service as npm start does, stops it with SIGTERM and restarts it on failure', () => {
    const unit = parseUnit(text);
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    const service = unit.get('Service')!;
    expect(service.get('ExecStart')).toEqual(['/opt/sip-edge/node_modules/.bin/node src/main.ts']);
    expect(service.get('KillSignal')).toEqual(['SIGTERM']);
    expect(Number(service.get('TimeoutStopSec')![0])).toBeGreaterThanOrEqual(30);
    expect(service.get('Restart')).toEqual(['on-failure']);
    expect(service.get('User')).toEqual(['sip-edge']);
    expect(service.get('EnvironmentFile')).toEqual(['/etc/sip-edge/sip-edge.env']);
    expect(unit.get('Install')!.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('passes systemd-analyze verify where systemd is installed', () => {
    const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      // No systemd here (e.g. a CI container): the structural test above is the check.
      expect((probe.error as NodeJS.ErrnoException).code).toBe('ENOENT');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'sip-edge-unit-'));
    try {
      // verify insists that ExecStart exists: point it at this Node binary.
      const path = join(dir, 'sip-edge.service');
      writeFileSync(path, text.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`));
      const result = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
