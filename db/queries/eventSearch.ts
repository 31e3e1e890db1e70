import type { EventRecord } from '../../domain/event';
import { inTransaction, type Pool, type PoolClient } from '../pool';
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

export interface EventSearchResult {
  events: EventRecord[];
  total: number;
}

// How alike (pg_trgm word_similarity, 0..1) each misspelt word must be to some word of an event:
// "swfit" is 0.33 alike "swift", "tylor" 0.5 alike "taylor"; unrelated words about 0.17.
const TYPO_THRESHOLD = 0.3;
// Words of a query that the typo search looks at, at most: each is one more index condition.
const MAX_TYPO_WORDS = 6;
// Known words tried for each misspelt word, the most alike first: a short word ("ab") is alike
// hundreds of words a little, and each is one more term of the index search and of the score.
const MAX_ALIKE_WORDS = 50;

/** A word of the query and the known words (lexemes of event_search_lexemes) alike it, most alike first. */
interface AlikeWords {
  lexemes: string[];
  similarities: number[];
}

/** Query text, made of parameters it numbers as it goes. */
class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The date range of a search, as conditions on startsAt added to `where`; answers the WHERE clause. */
function whereClause(search: EventSearch, sql: SqlParams, where: string[]): string {
  if (search.from) where.push(`e.starts_at >= ${sql.add(search.from)}`);
  if (search.before) where.push(`e.starts_at < ${sql.add(search.before)}`);
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
}

/**
 * One page of the events matching `where`, best `score` first; equal scores by startsAt (undated
 * last), then id, so paging is stable. The matches are read and scored once, for the page and the total.
 */
async function rankedPageOf(client: PoolClient, search: EventSearch, sql: SqlParams, where: string[], score: string): Promise<EventSearchResult> {
  const filter = whereClause(search, sql, where);
  const limit = sql.add(search.pageSize);
  const offset = sql.add((search.page - 1) * search.pageSize);
  const { rows } = await client.query<EventRow & { total: string }>(
    `WITH matched AS (
       SELECT e.id, e.starts_at, ${score} AS score FROM events e ${filter}
     ), page AS (
       SELECT id, score FROM matched ORDER BY score DESC, starts_at ASC NULLS LAST, id LIMIT ${limit} OFFSET ${offset}
     )
     SELECT ${EVENT_COLUMNS}, (SELECT count(*) FROM matched) AS total
       FROM (SELECT 1) AS one
       LEFT JOIN page ON true
       LEFT JOIN events e ON e.id = page.id
      ORDER BY page.score DESC, e.starts_at ASC NULLS LAST, e.id`,
    sql.values,
  );
  return pageFrom(rows);
}

/**
 * One page of the events in the date range, by startsAt (undated last), then id: read in the order
 * of events_starts_at, so a page stops after its own rows; the total is counted apart.
 */
async function datedPageOf(client: PoolClient, search: EventSearch): Promise<EventSearchResult> {
  const sql = new SqlParams();
  const filter = whereClause(search, sql, []);
  const limit = sql.add(search.pageSize);
  const offset = sql.add((search.page - 1) * search.pageSize);
  const { rows } = await client.query<EventRow & { total: string }>(
    `SELECT ${EVENT_COLUMNS}, (SELECT count(*) FROM events e ${filter}) AS total
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT e.id FROM events e ${filter} ORDER BY e.starts_at ASC NULLS LAST, e.id LIMIT ${limit} OFFSET ${offset}) AS page ON true
       LEFT JOIN events e ON e.id = page.id
      ORDER BY e.starts_at ASC NULLS LAST, e.id`,
    sql.values,
  );
  return pageFrom(rows);
}

// One row with no event when the page is past the end: it still carries the total.
function pageFrom(rows: (EventRow & { total: string })[]): EventSearchResult {
  return { events: rows.filter((r) => r.id !== null).map(toEvent), total: rows[0] ? Number(rows[0].total) : 0 };
}

// 4 when the event's name is exactly the words (lower-cased): the few such events are found once,
// in events_name_lower, rather than lower(name) computed for every match.
const namedExactly = (words: string) =>
  `(CASE WHEN e.id = ANY (ARRAY(SELECT n.id FROM events n WHERE lower(n.name) = ${words})) THEN 4 ELSE 0 END)`;

/**
 * Full-text search first (weighted: name and performers, venue, description), ranked: the name
 * equal to the words first, then the phrase, then the text rank. When the words find nothing,
 * misspelt words are tried: every word of the query must be like some word of the event's name,
 * performers or venue (pg_trgm, see alikeWords), ranked by how alike. Both filter on startsAt.
 */
export async function searchEvents(pool: Pool, search: EventSearch): Promise<EventSearchResult> {
  const words = search.q.trim().toLowerCase();
  return inTransaction(
    pool,
    async (client) => {
      if (!words) return datedPageOf(client, search);

      const sql = new SqlParams();
      const w = sql.add(words);
      const ts = `websearch_to_tsquery('english', ${w})`;
      const phrase = `phraseto_tsquery('english', ${w})`;
      // One word: the phrase is the query itself and every match holds it. The planner folds the
      // comparison of the two constant queries, so the phrase is not tested on each match again.
      const holdsPhrase = `(CASE WHEN ${phrase} = ${ts} OR e.search_document @@ ${phrase} THEN 2 ELSE 0 END)`;
      const found = await rankedPageOf(
        client,
        search,
        sql,
        [`e.search_document @@ ${ts}`],
        `${namedExactly(w)} + ${holdsPhrase} + ts_rank(e.search_document, ${ts})`,
      );
      const tokens = [...new Set(words.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length >= 2))].slice(0, MAX_TYPO_WORDS);
      if (found.total > 0 || tokens.length === 0) return found;

      const alike = await alikeWords(client, tokens);
      // Only stop words, or a word alike no known word: nothing is found (and `found` is empty).
      if (alike.length === 0 || alike.some((a) => a.lexemes.length === 0)) return found;
      const fuzzy = new SqlParams();
      const whole = fuzzy.add(words);
      // Every word of the query: one of its alike words, in the name, performers or venue (A, B).
      const anyOf = (a: AlikeWords) => `(${a.lexemes.map((l) => `${tsqueryLexeme(l)}:AB`).join(' | ')})`;
      const holdsAll = `e.search_document @@ ${fuzzy.add(alike.map(anyOf).join(' & '))}::tsquery`;
      // Each word scores how alike it is to the most alike word the event holds (the first found).
      const similarity = (a: AlikeWords) =>
        `(CASE ${a.lexemes
          .map((l, i) => `WHEN e.search_document @@ ${fuzzy.add(`${tsqueryLexeme(l)}:AB`)}::tsquery THEN ${fuzzy.add(a.similarities[i])}::float8`)
          .join(' ')} ELSE 0 END)`;
      return rankedPageOf(
        client,
        search,
        fuzzy,
        [holdsAll],
        `${namedExactly(whole)} + (${alike.map(similarity).join(' + ')}) / ${alike.length}`,
      );
    },
    'BEGIN READ ONLY',
  );
}

/**
 * For each word of the query, the known words alike it (trigrams, in the small table
 * event_search_lexemes rather than in every event). Stop words are left out, as full text leaves
 * them out of the events; a number is only itself.
 */
async function alikeWords(client: PoolClient, tokens: string[]): Promise<AlikeWords[]> {
  // Set for this transaction only: the operator <% reads it.
  await client.query(`SET LOCAL pg_trgm.word_similarity_threshold = ${TYPO_THRESHOLD}`);
  const { rows } = await client.query<AlikeWords>(
    `SELECT coalesce(array_agg(a.lexeme ORDER BY a.similarity DESC, a.lexeme) FILTER (WHERE a.lexeme IS NOT NULL), '{}') AS lexemes,
            coalesce(array_agg(a.similarity ORDER BY a.similarity DESC, a.lexeme) FILTER (WHERE a.lexeme IS NOT NULL), '{}') AS similarities
       FROM unnest($1::text[]) WITH ORDINALITY AS t(word, n)
       LEFT JOIN LATERAL (
         SELECT t.word AS lexeme, 1::float8 AS similarity WHERE t.word ~ '^[0-9]+$'
         UNION ALL
         (SELECT d.lexeme, word_similarity(t.word, d.lexeme)::float8 FROM event_search_lexemes d
           WHERE t.word <% d.lexeme ORDER BY 2 DESC, 1 LIMIT $2)
       ) AS a ON true
      WHERE numnode(plainto_tsquery('english', t.word)) > 0
      GROUP BY t.n
      ORDER BY t.n`,
    [tokens, MAX_ALIKE_WORDS],
  );
  return rows;
}

// A lexeme as tsquery text: quoted, its quotes and backslashes doubled.
const tsqueryLexeme = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
