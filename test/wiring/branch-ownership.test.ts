// Branch ownership for worker response affinity: the top Via's branch of what a worker sends.
import { describe, expect, it } from 'vitest';
import { BranchOwnership, topViaBranch } from '../../src/wiring/branch-ownership.ts';

const request = (via: string): Buffer =>
  Buffer.from(`INVITE sip:a@b;branch=notthis SIP/2.0\r\n${via}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKcaller\r\nContent-Length: 0\r\n\r\n`, 'latin1');

describe('topViaBranch', () => {
  it.each([
    ['Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKedge1;rport', 'z9hG4bKedge1'],
    ['Via: SIP/2.0/TCP [::1]:5060;branch=z9hG4bK.x-y_z', 'z9hG4bK.x-y_z'],
    ['v: SIP/2.0/UDP h;branch=z9hG4bKcompact, SIP/2.0/UDP other;branch=z9hG4bKsecond', 'z9hG4bKcompact'],
    ['Via: SIP/2.0/UDP h;rport;branch=z9hG4bKlast', 'z9hG4bKlast'],
  ])('%s → %s', (via, branch) => {
    expect(topViaBranch(request(via))).toBe(branch);
  });

  it('ignores a branch outside the first Via line and an over-long one', () => {
    expect(topViaBranch(request('Via: SIP/2.0/UDP h;rport'))).toBeUndefined();
    expect(topViaBranch(request(`Via: SIP/2.0/UDP h;branch=${'a'.repeat(200)}`))).toBeUndefined();
    expect(topViaBranch(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'))).toBeUndefined();
  });
});

describe('BranchOwnership', () => {
  it('owns what it sent for one to two periods, never responses it sent', () => {
    let now = 0;
    const owner = new BranchOwnership(() => now);
    owner.noteSent(request('Via: SIP/2.0/UDP e;branch=z9hG4bKmine'));
    owner.noteSent(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP c;branch=z9hG4bKtheirs\r\n\r\n', 'latin1'));
    expect(owner.owns('z9hG4bKmine')).toBe(true);
    expect(owner.owns('z9hG4bKtheirs')).toBe(false);
    expect(owner.owns('z9hG4bKcaller')).toBe(false);
    now = 250_000;
    owner.noteSent(request('Via: SIP/2.0/UDP e;branch=z9hG4bKlater'));
    expect(owner.owns('z9hG4bKmine')).toBe(true);
    now = 500_000;
    owner.noteSent(request('Via: SIP/2.0/UDP e;branch=z9hG4bKlatest'));
    expect(owner.owns('z9hG4bKmine')).toBe(false);
    expect(owner.owns('z9hG4bKlater')).toBe(true);
  });
});
