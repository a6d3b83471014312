// v2010 paging: PageSize (1..1000, default 50), Page (0-based), PageToken ("PA" + last SID of the
// previous page), and the list envelope with relative *_page_uri links.
import type { PageRequest, PageResult } from '../store/types.ts';
import { ApiError, CODES, invalid } from './errors.ts';

export interface PageParams {
  pageSize: number;
  page: number;
  token: string | undefined;
}

const TOKEN = /^PA[A-Z]{2}[0-9a-fA-F]{32}$/;

function single(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(name, 'must be a single value');
  return v;
}

export function parsePaging(query: Record<string, unknown>): PageParams {
  const sizeText = single(query, 'PageSize');
  const pageText = single(query, 'Page');
  const token = single(query, 'PageToken');
  let pageSize = 50;
  if (sizeText !== undefined) {
    if (!/^[0-9]{1,7}$/.test(sizeText) || Number(sizeText) < 1 || Number(sizeText) > 1000) {
      throw invalid('PageSize', 'must be an integer between 1 and 1000');
    }
    pageSize = Number(sizeText);
  }
  let page = 0;
  if (pageText !== undefined) {
    if (!/^[0-9]{1,7}$/.test(pageText)) throw invalid('Page', 'must be a non-negative integer');
    page = Number(pageText);
  }
  if (token !== undefined && !TOKEN.test(token)) throw new ApiError(400, CODES.invalidPageToken, 'Invalid PageToken');
  return { pageSize, page, token };
}

export function pageRequest(p: PageParams): PageRequest {
  return p.token ? { limit: p.pageSize, afterSid: p.token.slice(2) } : { limit: p.pageSize, offset: p.page * p.pageSize };
}

/** Builds the envelope; `path` is the list path (with .json), `filters` extra query parameters kept in links. */
export function listEnvelope<T extends { sid: string }>(
  key: string,
  path: string,
  p: PageParams,
  result: PageResult<T>,
  render: (row: T) => unknown,
  filters: Record<string, string> = {},
): Record<string, unknown> {
  const base = (extra: Record<string, string>) => `${path}?${new URLSearchParams({ ...filters, ...extra }).toString()}`;
  const start = p.page * p.pageSize;
  const last = result.rows[result.rows.length - 1];
  const current: Record<string, string> = { PageSize: String(p.pageSize), Page: String(p.page) };
  if (p.token) current.PageToken = p.token;
  return {
    [key]: result.rows.map(render),
    end: result.rows.length > 0 ? start + result.rows.length - 1 : start,
    first_page_uri: base({ PageSize: String(p.pageSize), Page: '0' }),
    next_page_uri:
      result.hasMore && last ? base({ PageSize: String(p.pageSize), Page: String(p.page + 1), PageToken: `PA${last.sid}` }) : null,
    page: p.page,
    page_size: p.pageSize,
    previous_page_uri: p.page > 0 ? base({ PageSize: String(p.pageSize), Page: String(p.page - 1) }) : null,
    start,
    uri: base(current),
  };
}
