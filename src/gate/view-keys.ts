// Logical keys of compiled views: one per addressable view. The gate looks views up by them and the
// caches (src/store/cache) store views under them, so the format is defined once, here.

/** Logical key of the domain or trunk addressed by a Request-URI host. */
export function hostKey(host: string): string {
  return 'host:' + host.toLowerCase();
}

/** Logical key of the credential connection picked by a digest username. */
export function connectionKey(username: string): string {
  return 'conn:' + username.toLowerCase();
}
