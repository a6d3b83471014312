import { describe, expect, it } from 'vitest';
import { WORKER_SEMI_SPACE_MB, workerExecArgv } from '../../src/wiring/worker-flags.ts';

describe('SIP worker flags', () => {
  it('adds the young-generation size to the primary flags', () => {
    expect(workerExecArgv(['--enable-source-maps'], undefined)).toEqual(['--enable-source-maps', `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
    expect(workerExecArgv([], '--max-old-space-size=4096')).toEqual([`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
  });

  it('leaves a semi-space size the operator set on the command line or in NODE_OPTIONS', () => {
    expect(workerExecArgv(['--max-semi-space-size=32'], undefined)).toEqual(['--max-semi-space-size=32']);
    expect(workerExecArgv(['--min_semi_space_size=4'], undefined)).toEqual(['--min_semi_space_size=4']);
    expect(workerExecArgv([], '--trace-gc --max-semi-space-size=64')).toEqual([]);
  });

  it('does not copy the primary flags by reference', () => {
    const argv = ['--x'];
    expect(workerExecArgv(argv, undefined)).not.toBe(argv);
  });
});
