// Public surface of the proxy for the process wiring (src/main.ts).

export { createProxy } from './proxy.ts';
export type { Proxy, ProxyLog, ProxyOptions, ProxyStats } from './proxy.ts';
export { transportSender } from './transport-send.ts';
export { admissionFromDecision, gateAdmit } from './gate-admission.ts';
export { createHopResolver } from './resolver.ts';
export type { DnsFunctions, HopResolver } from './resolver.ts';
export type { Accept, Admission, AdmitFn, AuthMethod, Drop, Peer, Reject, SendFn } from './types.ts';
