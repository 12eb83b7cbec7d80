import crypto from 'node:crypto';

/*
 * What GitHub does around a response: `per_page`/`page` pagination with a
 * `Link` header, and weak ETags answering `If-None-Match` with 304.
 */

export interface Page<T> {
  items: T[];
  /** The `Link` header, when there is more than one page. */
  link?: string;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function positiveInt(value: string | undefined, fallback: number) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * One page of a list, as GitHub cuts it: `per_page` (default 30, at most
 * 100) and `page` (from 1), with `first`/`prev`/`next`/`last` links that
 * keep the other query parameters.
 */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  url: string,
  maxItems = Infinity,
): Page<T> {
  const all = items.slice(0, maxItems);
  const perPage = Math.min(
    MAX_PER_PAGE,
    positiveInt(query.get('per_page') ?? undefined, DEFAULT_PER_PAGE),
  );
  const page = positiveInt(query.get('page') ?? undefined, 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const pageItems = all.slice((page - 1) * perPage, page * perPage);
  if (last === 1) return { items: pageItems };
  const linkTo = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('per_page', String(perPage));
    q.set('page', String(n));
    return `<${url}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) {
    links.push(`${linkTo(page - 1)}; rel="prev"`, `${linkTo(1)}; rel="first"`);
  }
  if (page < last) {
    links.push(
      `${linkTo(page + 1)}; rel="next"`,
      `${linkTo(last)}; rel="last"`,
    );
  }
  return { items: pageItems, link: links.join(', ') };
}

/** A weak ETag of a response body, as GitHub sends for JSON. */
export function etagOf(body: string | Buffer): string {
  return `W/"${crypto.createHash('sha1').update(body).digest('hex')}"`;
}

/** Whether `If-None-Match` names this ETag (weak comparison, lists and `*` allowed). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .some(t => t.trim() === '*' || strip(t) === strip(etag));
}
