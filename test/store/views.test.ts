import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/store.ts';
import type { ViewChange } from '../../src/store/types.ts';
import type { TargetView } from '../../src/gate/view.ts';
import { HA1, domainFields, tempStore, tokenHash } from './helpers.ts';

let env: ReturnType<typeof tempStore>;
let changes: ViewChange[];
beforeEach(() => {
  env = tempStore();
  changes = [];
  env.store.onViewsChanged((c) => changes.push(structuredClone(c)));
});
afterEach(async () => {
  await env.cleanup();
});

const only = (c: ViewChange | undefined): TargetView => {
  expect(c?.upserts.length).toBe(1);
  return c!.upserts[0] as TargetView;
};

describe('compiled views', () => {
  it('recompiles every domain that uses a changed list, and only those', async () => {
    const a = (await env.store.accounts.create({ ownerSid: null, friendlyName: 'a', tokenHash: tokenHash('a') })).sid;
    const d1 = await env.store.domains.create(a, domainFields('one.example.com', { voiceUrl: 'sips:pbx.example.net' }));
    const d2 = await env.store.domains.create(a, domainFields('two.example.com', { voiceUrl: 'https://not-a-sip-target.example' }));
    const d3 = await env.store.domains.create(a, domainFields('three.example.com'));
    const cl = await env.store.credentialLists.create(a, 'cl');
    const al = await env.store.ipAcls.create(a, 'al');
    await env.store.mappings.create(a, d1.sid, 'credential_list', 'calls', cl.sid);
    await env.store.mappings.create(a, d2.sid, 'credential_list', 'registrations', cl.sid);
    await env.store.mappings.create(a, d1.sid, 'ip_acl', 'calls', al.sid);
    changes.length = 0;

    await env.store.credentialLists.createCredential(a, cl.sid, 'alice', HA1('a'));
    expect(changes.length).toBe(1);
    const bySid = new Map(changes[0]!.upserts.map((v) => [v.sid, v as TargetView]));
    expect([...bySid.keys()].sort()).toEqual([d1.sid, d2.sid].sort());
    expect(bySid.get(d1.sid)!.calls.users.alice).toEqual(HA1('a'));
    expect(bySid.get(d1.sid)!.targets).toEqual([{ uri: 'sips:pbx.example.net', priority: 10, weight: 10 }]);
    expect(bySid.get(d1.sid)!.registrations!.rules.credentialsMapped).toBe(false);
    expect(bySid.get(d2.sid)!.registrations!.rules.users.alice).toEqual(HA1('a'));
    expect(bySid.get(d2.sid)!.calls.credentialsMapped).toBe(false);
    expect(bySid.get(d2.sid)!.targets).toEqual([]);
    expect(bySid.has(d3.sid)).toBe(false);

    await env.store.ipAcls.createAddress(a, al.sid, { friendlyName: 'v6', ipAddress: '2001:db8::', cidrPrefixLength: 32 });
    const v = only(changes[1]);
    expect(v.sid).toBe(d1.sid);
    expect(v.calls).toMatchObject({ aclMapped: true, acl: [{ address: '2001:db8::', prefixLength: 32 }] });
  });

  it('propagates account status to subaccounts, emits renames and deletes, keeps versions monotonic', async () => {
    const parent = (await env.store.accounts.create({ ownerSid: null, friendlyName: 'p', tokenHash: tokenHash('p') })).sid;
    const child = (await env.store.accounts.create({ ownerSid: parent, friendlyName: 'c', tokenHash: tokenHash('c') })).sid;
    const d = await env.store.domains.create(child, domainFields('Child.Example.com'));
    expect(only(changes[0]).host).toBe('child.example.com');
    await env.store.accounts.update(parent, { status: 'suspended' });
    expect(only(changes[1])).toMatchObject({ sid: d.sid, accountStatus: 'suspended' });
    await env.store.accounts.update(parent, { friendlyName: 'renamed' });
    expect(changes.length).toBe(2);
    await env.store.accounts.update(parent, { status: 'active' });
    expect(only(changes[2]).accountStatus).toBe('active');

    await env.store.domains.update(child, d.sid, { domainName: 'moved.example.com' });
    expect(changes[3]!.deletes).toEqual(['child.example.com']);
    expect(only(changes[3]).host).toBe('moved.example.com');
    const versions = changes.flatMap((c) => c.upserts.map((u) => u.version));
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);

    await env.store.domains.delete(child, d.sid);
    expect(changes[4]).toEqual({ upserts: [], deletes: ['moved.example.com'] });
  });

  it('rebuilds every view from SQL after a restart, with versions that never go back', async () => {
    const a = (await env.store.accounts.create({ ownerSid: null, friendlyName: 'a', tokenHash: tokenHash('a') })).sid;
    for (let i = 0; i < 3; i++) await env.store.domains.create(a, domainFields(`r${i}.example.com`));
    const before = await env.store.rebuildAllViews();
    expect(before.map((v) => (v as TargetView).host)).toEqual(['r0.example.com', 'r1.example.com', 'r2.example.com']);
    await env.store.close();
    const reopened = openSqliteStore({ dataDir: env.dir });
    try {
      expect(await reopened.rebuildAllViews()).toEqual(before);
      const seen: number[] = [];
      reopened.onViewsChanged((c) => seen.push(...c.upserts.map((u) => u.version)));
      await reopened.domains.update(a, before[0]!.sid, { friendlyName: 'x' });
      expect(seen[0]).toBeGreaterThan(Math.max(...before.map((v) => v.version)));
    } finally {
      await reopened.close();
    }
  });

  it('a throwing listener does not undo or fail the write', async () => {
    const errors: unknown[] = [];
    const local = openSqliteStore({ dataDir: `${env.dir}/other`, onListenerError: (e) => errors.push(e) });
    try {
      local.onViewsChanged(() => {
        throw new Error('cache down');
      });
      const a = (await local.accounts.create({ ownerSid: null, friendlyName: 'a', tokenHash: tokenHash('a') })).sid;
      const d = await local.domains.create(a, domainFields('listener.example.com'));
      expect((await local.domains.get(a, d.sid))!.domainName).toBe('listener.example.com');
      expect(errors.length).toBe(1);
    } finally {
      await local.close();
    }
  });

  it('keeps the first credential when two mapped lists hold the same username', async () => {
    const a = (await env.store.accounts.create({ ownerSid: null, friendlyName: 'a', tokenHash: tokenHash('a') })).sid;
    const d = await env.store.domains.create(a, domainFields('dupuser.example.com'));
    const l1 = await env.store.credentialLists.create(a, 'l1');
    const l2 = await env.store.credentialLists.create(a, 'l2');
    await env.store.credentialLists.createCredential(a, l1.sid, 'bob', HA1('first'));
    await env.store.credentialLists.createCredential(a, l2.sid, 'bob', HA1('second'));
    await env.store.mappings.create(a, d.sid, 'credential_list', 'calls', l2.sid);
    await env.store.mappings.create(a, d.sid, 'credential_list', 'calls', l1.sid);
    const view = only(changes.at(-1));
    expect(view.calls.users.bob).toEqual(HA1('first'));
  });
});
