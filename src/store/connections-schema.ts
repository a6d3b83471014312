// Schema of Telnyx-style credential connections. Each connection registers the logical address
// it answers to, 'conn:<lowercase user_name>' (the cache key of its view), in sip_hosts: SQL
// domain names never contain ':', so the namespaces cannot collide, and the shared write path
// then versions and publishes connection views like those of domains and trunks.
import type { Migration } from './sqlite/migrate.ts';

export const MAX_CONNECTIONS_PER_ACCOUNT = 1000;

export function connectionsMigration(version: number): Migration {
  return {
    version,
    name: 'credential_connections',
    up(db) {
      db.exec(`
        CREATE TABLE credential_connections (
          id TEXT PRIMARY KEY,
          account_sid TEXT NOT NULL REFERENCES accounts(sid),
          connection_name TEXT NOT NULL,
          -- connection_name case-folded by the application, for filtering and sorting.
          name_folded TEXT NOT NULL,
          user_name TEXT NOT NULL,
          active INTEGER NOT NULL CHECK (active IN (0, 1)),
          ha1_md5 TEXT NOT NULL,
          ha1_sha256 TEXT NOT NULL,
          ha1_sha512_256 TEXT NOT NULL,
          sip_target TEXT,
          outbound_voice_profile_id TEXT,
          channel_limit INTEGER,
          settings TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX credential_connections_user ON credential_connections(lower(user_name));
        CREATE INDEX credential_connections_account ON credential_connections(account_sid);
        CREATE TRIGGER credential_connections_limit BEFORE INSERT ON credential_connections
          WHEN (SELECT count(*) FROM credential_connections WHERE account_sid = NEW.account_sid) >= ${MAX_CONNECTIONS_PER_ACCOUNT}
          BEGIN SELECT RAISE(ABORT, 'edge_limit:credential_connections'); END;
        CREATE TRIGGER credential_connections_host_insert AFTER INSERT ON credential_connections BEGIN
          INSERT INTO sip_hosts (host, target_sid, kind) VALUES ('conn:' || lower(NEW.user_name), NEW.id, 'connection');
        END;
        CREATE TRIGGER credential_connections_host_update AFTER UPDATE OF user_name ON credential_connections BEGIN
          UPDATE sip_hosts SET host = 'conn:' || lower(NEW.user_name) WHERE target_sid = NEW.id;
        END;
        CREATE TRIGGER credential_connections_host_delete AFTER DELETE ON credential_connections BEGIN
          DELETE FROM sip_hosts WHERE target_sid = OLD.id;
          DELETE FROM view_versions WHERE target_sid = OLD.id;
        END;
      `);
    },
  };
}
