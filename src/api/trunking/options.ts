// Settings the v1 route modules need beyond ApiContext.
export interface TrunkingOptions {
  /** PUBLIC_URL: base of absolute URLs; else derived from the request. */
  publicUrl?: string;
  /** EDGE_TRUNK_DOMAIN_SUFFIX: when set, a trunk's domain_name must end with it. */
  trunkDomainSuffix?: string;
  /**
   * Hosts no trunk may take (EDGE_CONNECTIONS_HOST): the edge routes them elsewhere, so a trunk
   * named so would never be reached.
   */
  reservedHosts?: readonly string[];
}
