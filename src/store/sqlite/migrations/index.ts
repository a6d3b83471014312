// The ordered list of schema migrations. To change the schema, add a file NNN-name.ts exporting a
// Migration with the next version and append it here; never edit a migration that has shipped.
import type { Migration } from '../migrate.ts';
import { core } from './001-core.ts';
import { trunksMigration } from '../../trunks-schema.ts';
import { pushCredentialsMigration } from '../../push-credentials-schema.ts';
import { connectionsMigration } from '../../connections-schema.ts';

export const MIGRATIONS: readonly Migration[] = [core, trunksMigration(2), pushCredentialsMigration(3), connectionsMigration(4)];
