// Twilio v1 envelopes (Trunking, Conversations): ISO 8601 dates and list pages whose `meta` carries
// absolute URLs, based on PUBLIC_URL or, without it, on the request's own scheme and Host.
import type { FastifyRequest } from 'fastify';
import type { PageResult } from '../../store/types.ts';
import type { PageParams } from '../paging.ts';
import { invalid } from '../errors.ts';
import { parsePaging } from '../paging.ts';

/** ISO 8601 in UTC without fractional seconds, e.g. "2026-11-23T12:00:00Z". */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const HOST = /^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$/;

/** Base of absolute URLs: PUBLIC_URL without its trailing '/', else scheme://Host of the request. */
export function publicBase(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = req.host;
  return `${req.protocol}://${typeof host === 'string' && HOST.test(host) ? host : 'localhost'}`;
}

/** PageSize (1..max, default 50), Page and PageToken, as in v2010 but with the resource's maximum. */
export function parseV1Paging(query: Record<string, unknown>, maxPageSize: number): PageParams {
  const p = parsePaging(query);
  if (p.pageSize > maxPageSize) throw invalid('PageSize', `must be an integer between 1 and ${maxPageSize}`);
  return p;
}

export interface V1Meta {
  page: number;
  page_size: number;
  first_page_url: string;
  previous_page_url: string | null;
  url: string;
  next_page_url: string | null;
  key: string;
}

/** `{[key]: rows, meta}`; `listUrl` is the absolute URL of the list without a query. */
export function v1ListEnvelope<T extends { sid: string }>(
  key: string,
  listUrl: string,
  p: PageParams,
  result: PageResult<T>,
  render: (row: T) => unknown,
): Record<string, unknown> {
  const at = (q: Record<string, string>) => `${listUrl}?${new URLSearchParams(q).toString()}`;
  const size = String(p.pageSize);
  const current: Record<string, string> = { PageSize: size, Page: String(p.page) };
  if (p.token) current.PageToken = p.token;
  const last = result.rows[result.rows.length - 1];
  const meta: V1Meta = {
    page: p.page,
    page_size: p.pageSize,
    first_page_url: at({ PageSize: size, Page: '0' }),
    previous_page_url: p.page > 0 ? at({ PageSize: size, Page: String(p.page - 1) }) : null,
    url: at(current),
    next_page_url: result.hasMore && last ? at({ PageSize: size, Page: String(p.page + 1), PageToken: `PA${last.sid}` }) : null,
    key,
  };
  return { [key]: result.rows.map(render), meta };
}
