// Compiled views for cache tests.
import type { ConnectionView, TargetView } from '../../src/gate/view.ts';

const HA1 = { md5: '0'.repeat(32), sha256: '1'.repeat(64), sha512_256: '2'.repeat(64) };

export function domainView(host: string, version = 1, users: string[] = ['alice']): TargetView {
  return {
    kind: 'domain',
    sid: 'SD' + 'a'.repeat(32),
    accountSid: 'AC' + 'b'.repeat(32),
    accountStatus: 'active',
    host,
    calls: {
      aclMapped: false,
      acl: [],
      credentialsMapped: true,
      users: Object.fromEntries(users.map((u) => [u, HA1])),
    },
    registrations: { enabled: true, rules: { aclMapped: false, acl: [], credentialsMapped: false, users: {} } },
    targets: [{ uri: 'sip:pbx.example.com', priority: 10, weight: 10 }],
    version,
  };
}

export function connectionView(username: string, version = 1): ConnectionView {
  return {
    kind: 'connection',
    sid: 'c'.repeat(19),
    accountSid: 'AC' + 'b'.repeat(32),
    accountStatus: 'active',
    username: username.toLowerCase(),
    usernameExact: username,
    ha1: HA1,
    active: true,
    sipTarget: 'sip:pbx.example.com',
    channelLimit: null,
    version,
  };
}
