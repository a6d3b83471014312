// How each kind of SIP target (domain now; trunk later) is found and compiled into a TargetView.
// A new kind registers one TargetCompiler in store.ts; the write path and rebuildAllViews use them all.
import type { DatabaseSync } from 'node:sqlite';
import type { CompiledView } from '../../gate/view.ts';

export interface TargetCompiler {
  /** SID prefix of the targets this compiler owns, e.g. 'SD'. */
  sidPrefix: string;
  /** Targets of this kind whose view includes the given credential list or IP ACL. */
  targetsUsingList(db: DatabaseSync, listSid: string): string[];
  /** Targets of this kind owned by the account. */
  targetsOfAccount(db: DatabaseSync, accountSid: string): string[];
  allTargets(db: DatabaseSync): string[];
  /** The compiled view (a TargetView, or a ConnectionView for credential connections), or null when absent. */
  compile(db: DatabaseSync, sid: string): CompiledView | null;
}
