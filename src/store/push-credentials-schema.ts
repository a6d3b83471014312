// Schema of Conversations v1 push credentials. The secret fields hold AES-256-GCM sealed values
// (src/store/secret-box.ts), never plaintext.
import type { Migration } from './sqlite/migrate.ts';

export const MAX_PUSH_CREDENTIALS_PER_ACCOUNT = 1000;

export function pushCredentialsMigration(version: number): Migration {
  return {
    version,
    name: 'push_credentials',
    up(db) {
      db.exec(`
        CREATE TABLE push_credentials (
          sid TEXT PRIMARY KEY,
          account_sid TEXT NOT NULL REFERENCES accounts(sid),
          friendly_name TEXT,
          type TEXT NOT NULL CHECK (type IN ('apn', 'gcm', 'fcm')),
          sandbox INTEGER NOT NULL CHECK (sandbox IN (0, 1)),
          certificate BLOB,
          private_key BLOB,
          api_key BLOB,
          secret BLOB,
          date_created INTEGER NOT NULL,
          date_updated INTEGER NOT NULL
        );
        CREATE INDEX push_credentials_account ON push_credentials(account_sid);
        CREATE TRIGGER push_credentials_limit BEFORE INSERT ON push_credentials
          WHEN (SELECT count(*) FROM push_credentials WHERE account_sid = NEW.account_sid) >= ${MAX_PUSH_CREDENTIALS_PER_ACCOUNT}
          BEGIN SELECT RAISE(ABORT, 'edge_limit:push_credentials'); END;
      `);
    },
  };
}
