import type { IpAclRecord, IpAclRepository, IpAddressRecord } from '../types.ts';
import type { SqliteContext } from './context.ts';
import { StoreError } from '../errors.ts';
import { newSid } from '../sid.ts';
import { pageRows } from './paging.ts';

function toAcl(r: Record<string, unknown>): IpAclRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    friendlyName: r.friendly_name as string,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

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
  const getAcl = (accountSid: string, sid: string) => {
    const r = db.prepare('SELECT * FROM ip_acls WHERE sid = ? AND account_sid = ?').get(sid, accountSid) as Record<string, unknown> | undefined;
    return r ? toAcl(r) : null;
  };
  const getAddr = (accountSid: string, aclSid: string, sid: string) => {
    const r = db
      .prepare('SELECT * FROM ip_addresses WHERE sid = ? AND ip_acl_sid = ? AND account_sid = ?')
      .get(sid, aclSid, accountSid) as Record<string, unknown> | undefined;
    return r ? toAddress(r) : null;
  };
  const requireAcl = (accountSid: string, aclSid: string) => {
    if (!getAcl(accountSid, aclSid)) throw new StoreError('not_found', 'ip_access_control_list');
  };
  return {
    async get(accountSid, sid) {
      return getAcl(accountSid, sid);
    },
    async list(accountSid, page) {
      return pageRows(db, { table: 'ip_acls', sidColumn: 'sid', where: 'account_sid = ?', params: [accountSid] }, page, toAcl);
    },
    async create(accountSid, friendlyName) {
      const sid = newSid('AL');
      const now = ctx.now();
      ctx.write(() => {
        db.prepare('INSERT INTO ip_acls (sid, account_sid, friendly_name, date_created, date_updated) VALUES (?, ?, ?, ?, ?)').run(
          sid, accountSid, friendlyName, now, now,
        );
      });
      return getAcl(accountSid, sid)!;
    },
    async update(accountSid, sid, friendlyName) {
      return ctx.write(() => {
        if (!getAcl(accountSid, sid)) return null;
        db.prepare('UPDATE ip_acls SET friendly_name = ?, date_updated = ? WHERE sid = ?').run(friendlyName, ctx.now(), sid);
        return getAcl(accountSid, sid);
      });
    },
    async delete(accountSid, sid) {
      return ctx.write(() => {
        if (!getAcl(accountSid, sid)) return false;
        db.prepare('DELETE FROM ip_acls WHERE sid = ?').run(sid);
        return true;
      }, { foreignKey: new StoreError('in_use', 'ip_access_control_list') });
    },
    async getAddress(accountSid, aclSid, sid) {
      return getAddr(accountSid, aclSid, sid);
    },
    async listAddresses(accountSid, aclSid, page) {
      requireAcl(accountSid, aclSid);
      return pageRows(
        db,
        { table: 'ip_addresses', sidColumn: 'sid', where: 'ip_acl_sid = ? AND account_sid = ?', params: [aclSid, accountSid] },
        page,
        toAddress,
      );
    },
    async createAddress(accountSid, aclSid, input) {
      const sid = newSid('IP');
      const now = ctx.now();
      ctx.write((affected) => {
        requireAcl(accountSid, aclSid);
        db.prepare(
          `INSERT INTO ip_addresses (sid, account_sid, ip_acl_sid, friendly_name, ip_address, cidr_prefix_length, date_created, date_updated)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(sid, accountSid, aclSid, input.friendlyName, input.ipAddress, input.cidrPrefixLength, now, now);
        affected.lists.add(aclSid);
      });
      return getAddr(accountSid, aclSid, sid)!;
    },
    async updateAddress(accountSid, aclSid, sid, patch) {
      return ctx.write((affected) => {
        const cur = getAddr(accountSid, aclSid, sid);
        if (!cur) return null;
        db.prepare('UPDATE ip_addresses SET friendly_name = ?, ip_address = ?, cidr_prefix_length = ?, date_updated = ? WHERE sid = ?').run(
          patch.friendlyName ?? cur.friendlyName,
          patch.ipAddress ?? cur.ipAddress,
          patch.cidrPrefixLength ?? cur.cidrPrefixLength,
          ctx.now(),
          sid,
        );
        affected.lists.add(aclSid);
        return getAddr(accountSid, aclSid, sid);
      });
    },
    async deleteAddress(accountSid, aclSid, sid) {
      return ctx.write((affected) => {
        if (!getAddr(accountSid, aclSid, sid)) return false;
        db.prepare('DELETE FROM ip_addresses WHERE sid = ?').run(sid);
        affected.lists.add(aclSid);
        return true;
      });
    },
  };
}
