// Schema of Elastic SIP trunks (Trunking v1): trunks, their origination URLs and their credential
// list / IP ACL associations. Follows 001-core's conventions: rowid = creation order, limits as
// triggers raising 'edge_limit:<subject>', tenancy triggers raising 'edge_tenancy', a trunk's
// domain_name registered in sip_hosts (shared with SIP domains, so a name resolves to one target),
// and lists referenced ON DELETE RESTRICT so a list still associated with a trunk cannot be deleted.
import type { Migration } from './sqlite/migrate.ts';
import { limitTrigger } from './sqlite/limit-trigger.ts';

export const MAX_TRUNKS_PER_ACCOUNT = 100;
export const MAX_ORIGINATION_URLS_PER_TRUNK = 100;

export function trunksMigration(version: number): Migration {
  return {
    version,
    name: 'trunks',
    up(db) {
      db.exec(`
        CREATE TABLE trunks (
          sid TEXT PRIMARY KEY,
          account_sid TEXT NOT NULL REFERENCES accounts(sid),
          domain_name TEXT,
          friendly_name TEXT,
          disaster_recovery_url TEXT,
          disaster_recovery_method TEXT CHECK (disaster_recovery_method IN ('GET', 'POST')),
          transfer_mode TEXT NOT NULL CHECK (transfer_mode IN ('disable-all', 'enable-all', 'sip-only')),
          transfer_caller_id TEXT NOT NULL CHECK (transfer_caller_id IN ('from-transferee', 'from-transferor')),
          secure INTEGER NOT NULL CHECK (secure IN (0, 1)),
          cnam_lookup_enabled INTEGER NOT NULL CHECK (cnam_lookup_enabled IN (0, 1)),
          symmetric_rtp_enabled INTEGER NOT NULL CHECK (symmetric_rtp_enabled IN (0, 1)),
          recording_mode TEXT NOT NULL,
          recording_trim TEXT NOT NULL,
          date_created INTEGER NOT NULL,
          date_updated INTEGER NOT NULL
        );
        CREATE INDEX trunks_account ON trunks(account_sid);
        ${limitTrigger('trunks', 'account_sid', MAX_TRUNKS_PER_ACCOUNT, 'trunks')}
        CREATE TRIGGER trunks_host_insert AFTER INSERT ON trunks WHEN NEW.domain_name IS NOT NULL BEGIN
          INSERT INTO sip_hosts (host, target_sid, kind) VALUES (lower(NEW.domain_name), NEW.sid, 'trunk');
        END;
        CREATE TRIGGER trunks_host_update AFTER UPDATE OF domain_name ON trunks BEGIN
          DELETE FROM sip_hosts WHERE target_sid = NEW.sid;
          INSERT INTO sip_hosts (host, target_sid, kind) SELECT lower(NEW.domain_name), NEW.sid, 'trunk' WHERE NEW.domain_name IS NOT NULL;
        END;
        CREATE TRIGGER trunks_host_delete AFTER DELETE ON trunks BEGIN
          DELETE FROM sip_hosts WHERE target_sid = OLD.sid;
          DELETE FROM view_versions WHERE target_sid = OLD.sid;
        END;

        CREATE TABLE origination_urls (
          sid TEXT PRIMARY KEY,
          account_sid TEXT NOT NULL REFERENCES accounts(sid),
          trunk_sid TEXT NOT NULL REFERENCES trunks(sid) ON DELETE CASCADE,
          friendly_name TEXT NOT NULL,
          sip_url TEXT NOT NULL,
          weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 65535),
          priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 65535),
          enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
          date_created INTEGER NOT NULL,
          date_updated INTEGER NOT NULL
        );
        CREATE INDEX origination_urls_trunk ON origination_urls(trunk_sid);
        ${limitTrigger('origination_urls', 'trunk_sid', MAX_ORIGINATION_URLS_PER_TRUNK, 'origination_urls')}
        CREATE TRIGGER origination_urls_tenancy BEFORE INSERT ON origination_urls
          WHEN (SELECT account_sid FROM trunks WHERE sid = NEW.trunk_sid) IS NOT NEW.account_sid
          BEGIN SELECT RAISE(ABORT, 'edge_tenancy'); END;

        CREATE TABLE trunk_credential_lists (
          trunk_sid TEXT NOT NULL REFERENCES trunks(sid) ON DELETE CASCADE,
          credential_list_sid TEXT NOT NULL REFERENCES credential_lists(sid) ON DELETE RESTRICT,
          account_sid TEXT NOT NULL,
          date_created INTEGER NOT NULL,
          date_updated INTEGER NOT NULL,
          PRIMARY KEY (trunk_sid, credential_list_sid)
        );
        CREATE INDEX tcl_list ON trunk_credential_lists(credential_list_sid);
        CREATE TRIGGER tcl_tenancy BEFORE INSERT ON trunk_credential_lists
          WHEN (SELECT account_sid FROM trunks WHERE sid = NEW.trunk_sid) IS NOT NEW.account_sid
            OR (SELECT account_sid FROM credential_lists WHERE sid = NEW.credential_list_sid) IS NOT NEW.account_sid
          BEGIN SELECT RAISE(ABORT, 'edge_tenancy'); END;

        CREATE TABLE trunk_ip_acls (
          trunk_sid TEXT NOT NULL REFERENCES trunks(sid) ON DELETE CASCADE,
          ip_acl_sid TEXT NOT NULL REFERENCES ip_acls(sid) ON DELETE RESTRICT,
          account_sid TEXT NOT NULL,
          date_created INTEGER NOT NULL,
          date_updated INTEGER NOT NULL,
          PRIMARY KEY (trunk_sid, ip_acl_sid)
        );
        CREATE INDEX tia_acl ON trunk_ip_acls(ip_acl_sid);
        CREATE TRIGGER tia_tenancy BEFORE INSERT ON trunk_ip_acls
          WHEN (SELECT account_sid FROM trunks WHERE sid = NEW.trunk_sid) IS NOT NEW.account_sid
            OR (SELECT account_sid FROM ip_acls WHERE sid = NEW.ip_acl_sid) IS NOT NEW.account_sid
          BEGIN SELECT RAISE(ABORT, 'edge_tenancy'); END;
      `);
    },
  };
}
