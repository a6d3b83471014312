// The ordered list of schema migrations. To change the schema, add a file NNN-name.ts exporting a
// Migration with the next version and append it here; never edit a migration that has shipped.
import type { Migration } from '../migrate.ts';
import { core } from './001-core.ts';

export const MIGRATIONS: readonly Migration[] = [core];
