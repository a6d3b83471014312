import type { IpAclRepository, IpAddressRecord } from '../types.ts';
import type { SqliteContext } from './context.ts';
import { newSid } from '../sid.ts';
import { childRows, namedListMethods, namedLists } from './named-lists.ts';

function toAddress(r: Record<string, unknown>): IpAddressRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    ipAccessControlListSid: r.ip_acl_sid as string,
    friendlyName: r.friendly_name as string,
    ipAddress: r.ip_address as string,
    cidrPrefixLength: r.cidr_prefix_length as number,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

export function sqliteIpAcls(ctx: SqliteContext): IpAclRepository {
  const { db } = ctx;
  const acls = namedLists(ctx, { table: 'ip_acls', sidPrefix: 'AL', resource: 'ip_access_control_list' });
  const addrs = childRows(ctx, { table: 'ip_addresses', parentColumn: 'ip_acl_sid', changes: 'lists', map: toAddress });
  return {
    ...namedListMethods(acls),
    async getAddress(accountSid, aclSid, sid) {
      return addrs.get(accountSid, aclSid, sid);
    },
    async listAddresses(accountSid, aclSid, page) {
      acls.require(accountSid, aclSid);
      return addrs.page(accountSid, aclSid, page);
    },
    async createAddress(accountSid, aclSid, input) {
      const sid = newSid('IP');
      const now = ctx.now();
      ctx.write((affected) => {
        acls.require(accountSid, aclSid);
        db.prepare(
          `INSERT INTO ip_addresses (sid, account_sid, ip_acl_sid, friendly_name, ip_address, cidr_prefix_length, date_created, date_updated)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(sid, accountSid, aclSid, input.friendlyName, input.ipAddress, input.cidrPrefixLength, now, now);
        affected.lists.add(aclSid);
      });
      return addrs.get(accountSid, aclSid, sid)!;
    },
    async updateAddress(accountSid, aclSid, sid, patch) {
      return ctx.write((affected) => {
        const cur = addrs.get(accountSid, aclSid, sid);
        if (!cur) return null;
        db.prepare('UPDATE ip_addresses SET friendly_name = ?, ip_address = ?, cidr_prefix_length = ?, date_updated = ? WHERE sid = ?').run(
          patch.friendlyName ?? cur.friendlyName,
          patch.ipAddress ?? cur.ipAddress,
          patch.cidrPrefixLength ?? cur.cidrPrefixLength,
          ctx.now(),
          sid,
        );
        affected.lists.add(aclSid);
        return addrs.get(accountSid, aclSid, sid);
      });
    },
    async deleteAddress(accountSid, aclSid, sid) {
      return addrs.delete(accountSid, aclSid, sid);
    },
  };
}
