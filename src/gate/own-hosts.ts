// Recognises Request-URI hosts that name the edge itself (its listen and advertised addresses and
// names), so that OPTIONS pings to the edge are answered locally (SPEC §4.3).

export type OwnHostMatcher = (host: string) => boolean;

/** Lowercases and strips IPv6 brackets: `[::1]` → `::1`. */
export function normaliseHost(host: string): string {
  const h = host.toLowerCase();
  return h.length > 1 && h.charCodeAt(0) === 0x5b && h.charCodeAt(h.length - 1) === 0x5d ? h.slice(1, -1) : h;
}

export function ownHostMatcher(hosts: Iterable<string>): OwnHostMatcher {
  const set = new Set<string>();
  for (const h of hosts) set.add(normaliseHost(h));
  return (host) => set.has(host);
}
