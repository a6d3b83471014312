// Liveness and readiness. The transports report their listeners, the store reports whether it can
// reach its backing store or is serving from cache (fail static, SPEC §6), and shutdown marks the
// node as draining so load balancers stop sending it new work before it exits.

export type StoreHealth = 'reachable' | 'cache' | 'down';

export interface Readiness {
  ready: boolean;
  listening: Record<string, boolean>;
  store: StoreHealth;
  draining: boolean;
}

export interface HealthState {
  /** Record a listener (e.g. "sip-udp", "sip-tcp", "http") as up or down. */
  setListening(name: string, up: boolean): void;
  setStore(state: StoreHealth): void;
  /** Shutdown started: readiness fails from now on, liveness holds. */
  setDraining(): void;
  readiness(): Readiness;
}

export interface HealthOptions {
  /** Listeners that must be up before the node is ready; others may be added by setListening. */
  expect?: readonly string[];
  /** Initial store state (default "reachable": the embedded store is in-process). */
  store?: StoreHealth;
}

export function createHealthState(options: HealthOptions = {}): HealthState {
  const listening = new Map<string, boolean>();
  for (const name of options.expect ?? []) listening.set(name, false);
  let store: StoreHealth = options.store ?? 'reachable';
  let draining = false;
  return {
    setListening(name, up) {
      listening.set(name, up);
    },
    setStore(state) {
      store = state;
    },
    setDraining() {
      draining = true;
    },
    readiness() {
      let allUp = listening.size > 0;
      for (const up of listening.values()) allUp &&= up;
      return {
        ready: allUp && store !== 'down' && !draining,
        listening: Object.fromEntries(listening),
        store,
        draining,
      };
    },
  };
}

export { registerObservabilityRoutes } from './routes.ts';
export type { ObservabilityRoutesOptions } from './routes.ts';
