// Small helpers shared by the v2010 route modules.
import type { FastifyRequest } from 'fastify';
import type { AccountRecord } from '../../store/types.ts';
import type { ApiContext } from '../server.ts';
import { notFound } from '../errors.ts';
import { isSid } from '../../store/sid.ts';
import { actingAccount } from '../basic-auth.ts';

export function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

/** A path SID with the expected prefix, else 404 (a malformed SID names nothing). */
export function sidParam(req: FastifyRequest, name: string, prefix: string): string {
  const v = (req.params as Record<string, string | undefined>)[name];
  if (v === undefined || !isSid(v, prefix)) throw notFound(pathOf(req));
  return v;
}

/** The {AccountSid} of the path, checked against the authenticated account. */
export async function pathAccount(ctx: ApiContext, req: FastifyRequest, name = 'AccountSid'): Promise<AccountRecord> {
  const sid = (req.params as Record<string, string | undefined>)[name] ?? '';
  return actingAccount(ctx.authOf(req), sid, ctx.store.accounts, pathOf(req));
}

export function query(req: FastifyRequest): Record<string, unknown> {
  return (req.query ?? {}) as Record<string, unknown>;
}

export function orNotFound<T>(value: T | null, req: FastifyRequest): T {
  if (value === null) throw notFound(pathOf(req));
  return value;
}
