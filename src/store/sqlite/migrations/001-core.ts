// Accounts, SIP domains, credential lists, IP ACLs and domain mappings.
//
// Conventions every later migration follows:
// - times are epoch milliseconds; SIDs are TEXT primary keys of rowid tables (rowid = creation order,
//   which keyset paging uses);
// - limits are BEFORE INSERT triggers raising 'edge_limit:<subject>', tenancy checks raise
//   'edge_tenancy' (the repositories translate both into StoreError);
// - every host a target answers to (domain or trunk domain_name) has one row in sip_hosts, whose
//   primary key makes names unique across targets of every kind, case-insensitively (stored lowercase);
// - mapping tables reference lists ON DELETE RESTRICT, so deleting a mapped list fails in the database.
import type { Migration } from '../migrate.ts';
import { limitTrigger } from '../limit-trigger.ts';

export const core: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        sid TEXT PRIMARY KEY,
        owner_sid TEXT REFERENCES accounts(sid),
        friendly_name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
        type TEXT NOT NULL DEFAULT 'Full' CHECK (type IN ('Trial', 'Full')),
        token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL
      );
      CREATE INDEX accounts_owner ON accounts(owner_sid);

      CREATE TABLE sip_hosts (
        host TEXT PRIMARY KEY CHECK (host = lower(host)),
        target_sid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL
      );

      -- Global monotonic clock for compiled view versions, and the current version of each target.
      CREATE TABLE view_clock (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
      INSERT INTO view_clock (id, seq) VALUES (1, 0);
      CREATE TABLE view_versions (target_sid TEXT PRIMARY KEY, version INTEGER NOT NULL);

      CREATE TABLE domains (
        sid TEXT PRIMARY KEY,
        account_sid TEXT NOT NULL REFERENCES accounts(sid),
        domain_name TEXT NOT NULL,
        friendly_name TEXT,
        voice_url TEXT,
        voice_method TEXT NOT NULL CHECK (voice_method IN ('GET', 'POST')),
        voice_fallback_url TEXT,
        voice_fallback_method TEXT NOT NULL CHECK (voice_fallback_method IN ('GET', 'POST')),
        voice_status_callback_url TEXT,
        voice_status_callback_method TEXT NOT NULL CHECK (voice_status_callback_method IN ('GET', 'POST')),
        sip_registration INTEGER NOT NULL CHECK (sip_registration IN (0, 1)),
        emergency_calling_enabled INTEGER NOT NULL CHECK (emergency_calling_enabled IN (0, 1)),
        secure INTEGER NOT NULL CHECK (secure IN (0, 1)),
        byoc_trunk_sid TEXT,
        emergency_caller_sid TEXT,
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX domains_name ON domains(lower(domain_name));
      CREATE INDEX domains_account ON domains(account_sid);
      ${limitTrigger('domains', 'account_sid', 100, 'domains')}
      CREATE TRIGGER domains_host_insert AFTER INSERT ON domains BEGIN
        INSERT INTO sip_hosts (host, target_sid, kind) VALUES (lower(NEW.domain_name), NEW.sid, 'domain');
      END;
      CREATE TRIGGER domains_host_update AFTER UPDATE OF domain_name ON domains BEGIN
        UPDATE sip_hosts SET host = lower(NEW.domain_name) WHERE target_sid = NEW.sid;
      END;
      CREATE TRIGGER domains_host_delete AFTER DELETE ON domains BEGIN
        DELETE FROM sip_hosts WHERE target_sid = OLD.sid;
        DELETE FROM view_versions WHERE target_sid = OLD.sid;
      END;

      CREATE TABLE credential_lists (
        sid TEXT PRIMARY KEY,
        account_sid TEXT NOT NULL REFERENCES accounts(sid),
        friendly_name TEXT NOT NULL,
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL
      );
      CREATE INDEX credential_lists_account ON credential_lists(account_sid);
      ${limitTrigger('credential_lists', 'account_sid', 100, 'credential_lists')}

      CREATE TABLE credentials (
        sid TEXT PRIMARY KEY,
        account_sid TEXT NOT NULL REFERENCES accounts(sid),
        credential_list_sid TEXT NOT NULL REFERENCES credential_lists(sid) ON DELETE CASCADE,
        username TEXT NOT NULL,
        ha1_md5 TEXT NOT NULL,
        ha1_sha256 TEXT NOT NULL,
        ha1_sha512_256 TEXT NOT NULL,
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL,
        UNIQUE (credential_list_sid, username)
      );
      ${limitTrigger('credentials', 'credential_list_sid', 1000, 'credentials')}

      CREATE TABLE ip_acls (
        sid TEXT PRIMARY KEY,
        account_sid TEXT NOT NULL REFERENCES accounts(sid),
        friendly_name TEXT NOT NULL,
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL
      );
      CREATE INDEX ip_acls_account ON ip_acls(account_sid);
      ${limitTrigger('ip_acls', 'account_sid', 1000, 'ip_acls')}

      CREATE TABLE ip_addresses (
        sid TEXT PRIMARY KEY,
        account_sid TEXT NOT NULL REFERENCES accounts(sid),
        ip_acl_sid TEXT NOT NULL REFERENCES ip_acls(sid) ON DELETE CASCADE,
        friendly_name TEXT NOT NULL,
        ip_address TEXT NOT NULL,
        cidr_prefix_length INTEGER NOT NULL CHECK (cidr_prefix_length BETWEEN 0 AND 128),
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL
      );
      CREATE INDEX ip_addresses_acl ON ip_addresses(ip_acl_sid);
      ${limitTrigger('ip_addresses', 'ip_acl_sid', 100, 'ip_addresses')}

      CREATE TABLE domain_credential_list_mappings (
        domain_sid TEXT NOT NULL REFERENCES domains(sid) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('calls', 'registrations')),
        credential_list_sid TEXT NOT NULL REFERENCES credential_lists(sid) ON DELETE RESTRICT,
        account_sid TEXT NOT NULL,
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL,
        PRIMARY KEY (domain_sid, purpose, credential_list_sid)
      );
      CREATE INDEX dclm_list ON domain_credential_list_mappings(credential_list_sid);
      CREATE TRIGGER dclm_tenancy BEFORE INSERT ON domain_credential_list_mappings
        WHEN (SELECT account_sid FROM domains WHERE sid = NEW.domain_sid) IS NOT NEW.account_sid
          OR (SELECT account_sid FROM credential_lists WHERE sid = NEW.credential_list_sid) IS NOT NEW.account_sid
        BEGIN SELECT RAISE(ABORT, 'edge_tenancy'); END;

      CREATE TABLE domain_ip_acl_mappings (
        domain_sid TEXT NOT NULL REFERENCES domains(sid) ON DELETE CASCADE,
        ip_acl_sid TEXT NOT NULL REFERENCES ip_acls(sid) ON DELETE RESTRICT,
        account_sid TEXT NOT NULL,
        date_created INTEGER NOT NULL,
        date_updated INTEGER NOT NULL,
        PRIMARY KEY (domain_sid, ip_acl_sid)
      );
      CREATE INDEX diam_acl ON domain_ip_acl_mappings(ip_acl_sid);
      CREATE TRIGGER diam_tenancy BEFORE INSERT ON domain_ip_acl_mappings
        WHEN (SELECT account_sid FROM domains WHERE sid = NEW.domain_sid) IS NOT NEW.account_sid
          OR (SELECT account_sid FROM ip_acls WHERE sid = NEW.ip_acl_sid) IS NOT NEW.account_sid
        BEGIN SELECT RAISE(ABORT, 'edge_tenancy'); END;
    `);
  },
};
