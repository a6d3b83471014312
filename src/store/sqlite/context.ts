// Shared by the SQLite repositories: the connection, the clock, and the write path that wraps each
// change in a transaction, bumps the view version of every affected target inside it, and after the
// commit compiles those targets' views and hands them to the ViewBus.
import type { DatabaseSync } from 'node:sqlite';
import type { CompiledView } from '../../gate/view.ts';
import type { StoreError } from '../errors.ts';
import type { ViewBus } from '../view-bus.ts';
import type { TargetCompiler } from './target-compilers.ts';
import { inTransaction } from './tx.ts';
import { translateSqliteError } from './sqlite-errors.ts';

/** What a change touched; the write path turns it into the set of targets to recompile. */
export interface Affected {
  targets: Set<string>;
  /** Credential lists / IP ACLs whose content changed. */
  lists: Set<string>;
  /** Accounts whose status changed (their subaccounts follow). */
  accounts: Set<string>;
  /** Lowercase hosts that no longer name any target. */
  deletedHosts: string[];
}

export interface ErrorContext {
  unique?: string;
  foreignKey?: StoreError;
}

export class SqliteContext {
  readonly db: DatabaseSync;
  readonly #compilers: readonly TargetCompiler[];
  readonly #bus: ViewBus;

  constructor(db: DatabaseSync, compilers: readonly TargetCompiler[], bus: ViewBus) {
    this.db = db;
    this.#compilers = compilers;
    this.#bus = bus;
  }

  now(): number {
    return Date.now();
  }

  write<T>(work: (affected: Affected) => T, errors: ErrorContext = {}): T {
    const affected: Affected = { targets: new Set(), lists: new Set(), accounts: new Set(), deletedHosts: [] };
    let result: T;
    let targets: string[];
    try {
      [result, targets] = inTransaction(this.db, () => {
        const r = work(affected);
        const t = this.#resolveTargets(affected);
        this.#bumpVersions(t);
        return [r, t] as const;
      });
    } catch (err) {
      throw translateSqliteError(err, errors);
    }
    if (this.#bus.hasListeners) this.#publish(targets, affected.deletedHosts);
    return result;
  }

  compile(sid: string): CompiledView | null {
    const compiler = this.#compilers.find((c) => sid.startsWith(c.sidPrefix));
    return compiler ? compiler.compile(this.db, sid) : null;
  }

  compileAll(): CompiledView[] {
    const views: CompiledView[] = [];
    for (const c of this.#compilers) {
      for (const sid of c.allTargets(this.db)) {
        const v = c.compile(this.db, sid);
        if (v) views.push(v);
      }
    }
    return views;
  }

  #resolveTargets(affected: Affected): string[] {
    const out = new Set(affected.targets);
    for (const list of affected.lists) {
      for (const c of this.#compilers) for (const t of c.targetsUsingList(this.db, list)) out.add(t);
    }
    for (const account of affected.accounts) {
      const subs = this.db.prepare('SELECT sid FROM accounts WHERE owner_sid = ?').all(account) as { sid: string }[];
      for (const a of [account, ...subs.map((s) => s.sid)]) {
        for (const c of this.#compilers) for (const t of c.targetsOfAccount(this.db, a)) out.add(t);
      }
    }
    return [...out];
  }

  #bumpVersions(targets: string[]): void {
    if (targets.length === 0) return;
    const tick = this.db.prepare('UPDATE view_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq');
    const set = this.db.prepare(
      'INSERT INTO view_versions (target_sid, version) VALUES (?, ?) ON CONFLICT (target_sid) DO UPDATE SET version = excluded.version',
    );
    const exists = this.db.prepare('SELECT 1 FROM sip_hosts WHERE target_sid = ?');
    for (const sid of targets) {
      if (!exists.get(sid)) continue;
      const { seq } = tick.get() as { seq: number };
      set.run(sid, seq);
    }
  }

  #publish(targets: string[], deletedHosts: string[]): void {
    const upserts: CompiledView[] = [];
    const deletes = new Set(deletedHosts);
    for (const sid of targets) {
      const view = this.compile(sid);
      if (view) {
        upserts.push(view);
        if (view.kind !== 'connection') deletes.delete(view.host);
      }
    }
    this.#bus.emit({ upserts, deletes: [...deletes] });
  }
}
