/**
 * `npm run bench:search`: GET /events/search latency over 100,000 events, seeded straight into a
 * private database (load/benchStack.ts), through one API node on loopback.
 *
 *   SEARCH_EVENTS (100000)  SEARCH_REQUESTS (200 per query and concurrency)  SEARCH_CONCURRENCY (1,8: one request at a time, then eight)
 */
import { startBenchStack } from './benchStack';
import { summarise } from './stats';
import { runScript } from './runScript';

const eventCount = Number(process.env.SEARCH_EVENTS ?? 100_000);
const requests = Number(process.env.SEARCH_REQUESTS ?? 200);
const concurrencies = (process.env.SEARCH_CONCURRENCY ?? '1,8').split(',').map(Number);

// Names, performers and venues from small vocabularies, so words repeat as in a real catalogue.
// Then VACUUM, as autovacuum does within a minute of a load this size (1,000 inserted rows plus 20%
// of the table): without it the visibility map is empty and index-only scans read the table too.
const SEED_SQL = `
SELECT setseed(0.42);
WITH words AS (
  SELECT ARRAY['Summer','Winter','Night','Festival','Live','Gala','Tour','Symphony','Jazz','Rock','Opera','Comedy',
               'Classic','Electric','Acoustic','Grand','Open Air','Sessions','Revival','Anniversary'] AS w,
         ARRAY['Ava','Liam','Noah','Emma','Mila','Leo','Zoe','Ivan','Nora','Omar','Ines','Yuki','Sara','Tom','Lena'] AS first,
         ARRAY['Okafor','Berg','Rossi','Tanaka','Novak','Silva','Dubois','Kowalski','Haddad','Larsen','Moreau','Costa'] AS last,
         ARRAY['Royal Albert Hall','Madison Square Garden','Wembley Stadium','Blue Note','Olympia','Sydney Opera House',
               'Red Rocks','Paradiso','Tivoli','Stadium of Light'] AS venues
)
INSERT INTO events (id, name, description, venue, performers, total_seats, starts_at)
SELECT gen_random_uuid(),
       w[1 + floor(random() * 20)::int] || ' ' || w[1 + floor(random() * 20)::int] || ' ' || n,
       'An evening of ' || lower(w[1 + floor(random() * 20)::int]) || ' with special guests, number ' || n,
       venues[1 + floor(random() * 10)::int],
       ARRAY[first[1 + floor(random() * 15)::int] || ' ' || last[1 + floor(random() * 12)::int]],
       100,
       timestamptz '2027-01-01' + random() * interval '730 days'
  FROM generate_series(1, $1::int) AS n, words;
INSERT INTO events (id, name, venue, performers, total_seats, starts_at)
VALUES (gen_random_uuid(), 'Taylor Swift | The Eras Tour', 'Wembley Stadium', ARRAY['Taylor Swift'], 100, '2027-06-21T19:00:00Z'),
       (gen_random_uuid(), 'Taylor Swift', 'Olympia', ARRAY['Taylor Swift'], 100, '2028-02-01T19:00:00Z');
VACUUM ANALYZE events;
`;

const queries: [string, string][] = [
  ['exact name', 'q=Taylor%20Swift'],
  ['typo', 'q=tylor%20swfit'],
  ['common word', 'q=jazz'],
  ['two common words', 'q=summer%20festival'],
  ['performer typo', 'q=lena%20okafr'],
  ['words and dates', 'q=opera&from=2027-03-01&to=2027-05-31'],
  ['dates only', 'from=2028-01-01&to=2028-01-31'],
  ['page 50 of a word', 'q=live&page=50'],
];

async function main(): Promise<void> {
  const stack = await startBenchStack('search');
  try {
    const seeding = Date.now();
    const [first, ...rest] = SEED_SQL.split(';').map((s) => s.trim()).filter(Boolean);
    await stack.pool.query(first);
    for (const statement of rest) await stack.pool.query(statement, statement.includes('$1') ? [eventCount] : []);
    console.log(`[bench:search] seeded ${eventCount + 2} events in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
    const node = await stack.startApiNode();
    try {
      for (const concurrency of concurrencies) {
        for (const [label, query] of queries) {
          const url = `${node.url}/events/search?${query}`;
          const first = (await (await fetch(url)).json()) as { total: number; events: { name: string }[] };
          const latencies: number[] = [];
          let next = 0;
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              while (next++ < requests) {
                const t0 = performance.now();
                const res = await fetch(url);
                await res.arrayBuffer();
                if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
                latencies.push(performance.now() - t0);
              }
            }),
          );
          const s = summarise(latencies);
          console.log(
            `${label.padEnd(18)} ${query.padEnd(40)} total ${String(first.total).padStart(6)}  ` +
              `first "${first.events[0]?.name ?? '-'}"  p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  (${requests} requests, ${concurrency} at a time)`,
          );
        }
      }
    } finally {
      await node.stop();
    }
  } finally {
    await stack.stop();
  }
}

runScript('bench:search', main);
