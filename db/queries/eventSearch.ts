import type { EventRecord } from '../../domain/event';
import { inTransaction, type Pool } from '../pool';
import { EVENT_COLUMNS, toEvent, type EventRow } from './events';

export interface EventSearch {
  /** Words to find; empty: every event in the date range, by date. */
  q: string;
  /** startsAt at or after. */
  from: Date | undefined;
  /** startsAt before. */
  before: Date | undefined;
  page: number;
  pageSize: number;
}

// How alike (pg_trgm word_similarity, 0..1) misspelt words must be to an event's words to find it:
// "tylor swfit" is 0.42 alike "taylor swift ..."; pg_trgm's default (0.6) would miss it.
const TYPO_THRESHOLD = 0.3;

/**
 * Full-text search (weighted: name and performers, venue, description) plus trigram matching for
 * typos, filtered on startsAt, ranked: the name equal to the words first, then the phrase, then the
 * text rank and the likeness; ties by startsAt and id, so paging is stable. One read-only
 * transaction: the typo threshold is set for it alone.
 */
export async function searchEvents(pool: Pool, search: EventSearch): Promise<{ events: EventRecord[]; total: number }> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  let score = '0::float8';
  const words = search.q.trim().toLowerCase();
  if (words) {
    const w = param(words);
    const ts = `websearch_to_tsquery('english', ${w})`;
    where.push(`(e.search_document @@ ${ts} OR ${w} <% e.search_words)`);
    score = `(CASE WHEN lower(e.name) = ${w} THEN 4 ELSE 0 END)
      + (CASE WHEN e.search_document @@ phraseto_tsquery('english', ${w}) THEN 2 ELSE 0 END)
      + ts_rank_cd(e.search_document, ${ts})
      + word_similarity(${w}, e.search_words)`;
  }
  if (search.from) where.push(`e.starts_at >= ${param(search.from)}`);
  if (search.before) where.push(`e.starts_at < ${param(search.before)}`);
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const limit = param(search.pageSize);
  const offset = param((search.page - 1) * search.pageSize);

  return inTransaction(
    pool,
    async (client) => {
      if (words) await client.query(`SET LOCAL pg_trgm.word_similarity_threshold = ${TYPO_THRESHOLD}`);
      const { rows } = await client.query<EventRow & { total: string }>(
        `WITH matched AS (
           SELECT e.id, e.starts_at, ${score} AS score FROM events e ${filter}
         ), page AS (
           SELECT id, score FROM matched ORDER BY score DESC, starts_at ASC NULLS LAST, id LIMIT ${limit} OFFSET ${offset}
         )
         SELECT ${EVENT_COLUMNS}, (SELECT count(*) FROM matched) AS total
           FROM page JOIN events e ON e.id = page.id
          ORDER BY page.score DESC, e.starts_at ASC NULLS LAST, e.id`,
        params,
      );
      const total = rows[0]
        ? Number(rows[0].total)
        : Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM events e ${filter}`, params.slice(0, -2))).rows[0].n);
      return { events: rows.map(toEvent), total };
    },
    'BEGIN READ ONLY',
  );
}
