import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployDir } from './deploy-files.ts';

function promtool(...args: string[]) {
  const result = spawnSync('/usr/bin/promtool', args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('promtool', () => {
  it('accepts the alert rules', () => {
    const { status, output } = promtool('check', 'rules', join(deployDir, 'prometheus/alerts.yml'));
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('fires the alerts on the scenarios of alerts.test.yml, and only then', () => {
    const { status, output } = promtool('test', 'rules', join(deployDir, 'prometheus/alerts.test.yml'));
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('accepts prometheus.yml (and the rule file it loads)', () => {
    const { status, output } = promtool('check', 'config', join(deployDir, 'prometheus/prometheus.yml'));
    expect(output).toContain('SUCCESS: 1 rule files found');
    expect(status).toBe(0);
  });
});
