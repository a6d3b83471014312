// Fan-out of compiled view changes to subscribers (the cache layer). Synchronous: a listener runs
// right after the commit that produced the change; a throwing listener cannot fail the write.
import type { ViewChange, ViewListener } from './types.ts';

export class ViewBus {
  readonly #listeners = new Set<ViewListener>();
  #onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: ViewListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  emit(change: ViewChange): void {
    if (change.upserts.length === 0 && change.deletes.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }
}
