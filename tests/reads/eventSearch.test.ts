import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { EventRecord } from '../../domain/event';
import { assertError } from '../api/assertions';
import { createEvent } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';

interface SearchPage {
  events: EventRecord[];
  page: number;
  pageSize: number;
  total: number;
}

const stack = useTestStack();

async function search(query: Record<string, string | number>) {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return api(stack.baseUrl).get<SearchPage>(`/events/search?${params}`);
}

async function found(query: Record<string, string | number>): Promise<SearchPage> {
  const res = await search(query);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

// A made-up word of ten letters: two of its own, then eight at random from `letters`; and the same
// with its sixth letter left out.
const inventedWord = (prefix: string, letters = 'abcdefghijklmnop') =>
  prefix + [...randomUUID().replace(/-/g, '').slice(0, 8)].map((c) => letters[parseInt(c, 16) % letters.length]).join('');
const misspelt = (word: string) => word.slice(0, 5) + word.slice(6);

// Each test works in a year of its own, so the others' events stay out of its date range.
const inYear = (year: number, monthDay = '06-01') => `${year}-${monthDay}T19:00:00.000Z`;

describe('GET /events/search', () => {
  test('ranks the event whose name is exactly the words first, then the phrase, then the rest', async () => {
    const year = 2031;
    const names = ['Swift Rivers and Taylor Made Suits', 'Taylor Swift Tribute Night', 'Taylor Swift', 'Evening of Folk'];
    for (const [i, name] of names.entries()) await createEvent(stack.baseUrl, { name, startsAt: inYear(year, `0${i + 1}-15`) });
    const page = await found({ q: 'Taylor Swift', from: `${year}-01-01`, to: `${year}-12-31` });
    assert.deepEqual(
      page.events.map((e) => e.name),
      ['Taylor Swift', 'Taylor Swift Tribute Night', 'Swift Rivers and Taylor Made Suits'],
    );
    assert.equal(page.total, 3);
  });

  test('ranks the event named exactly the one word first, then by text rank: the word in the name before the description', async () => {
    const year = 2036;
    const lateSet = await createEvent(stack.baseUrl, { name: 'Late Set', description: 'Jazz until midnight', startsAt: inYear(year, '01-15') });
    for (const [i, name] of ['Late Jazz Night', 'Jazz Jazz Jazz', 'Jazz'].entries()) {
      await createEvent(stack.baseUrl, { name, startsAt: inYear(year, `0${i + 2}-15`) });
    }
    const page = await found({ q: 'jazz', from: `${year}-01-01`, to: `${year}-12-31` });
    assert.deepEqual(page.events.map((e) => e.name), ['Jazz', 'Jazz Jazz Jazz', 'Late Jazz Night', 'Late Set']);
    assert.equal(page.events[3].id, lateSet.id);
    assert.equal(page.total, 4);
  });

  test('finds "Taylor Swift" from the misspelt "tylor swfit", and words of the description, venue and performers', async () => {
    const year = 2032;
    const eras = await createEvent(stack.baseUrl, { name: 'Taylor Swift | The Eras Tour', startsAt: inYear(year) });
    const jazz = await createEvent(stack.baseUrl, {
      name: 'Late Set',
      description: 'A quartet playing hard bop until midnight',
      venue: 'Blue Note Hall',
      performers: ['Maria Okafor'],
      startsAt: inYear(year, '07-01'),
    });
    await createEvent(stack.baseUrl, { name: 'Chess Open', startsAt: inYear(year, '08-01') });
    const range = { from: `${year}-01-01`, to: `${year}-12-31` };
    assert.deepEqual((await found({ q: 'tylor swfit', ...range })).events.map((e) => e.id), [eras.id]);
    for (const q of ['quartet', 'blue note', 'okafor', 'okafr']) {
      assert.deepEqual((await found({ q, ...range })).events.map((e) => e.id), [jazz.id], q);
    }
    const body = (await found({ q: 'quartet', ...range })).events[0];
    assert.equal(body.description, 'A quartet playing hard bop until midnight');
    assert.equal(body.venue, 'Blue Note Hall');
    assert.deepEqual(body.performers, ['Maria Okafor']);
    assert.equal((await found({ q: 'xylophone zebra', ...range })).total, 0);
  });

  test('finds a misspelt word of the name, performers or venue of an event just created, never of its description', async () => {
    const year = 2038;
    // Words no other event holds: the search knows them only from this event's creation.
    const [inName, inPerformer, inVenue] = ['qu', 'wy', 'vz'].map((prefix) => inventedWord(prefix));
    // Of letters the others hold only in their first two: alike none of them, even by chance.
    const inDescription = inventedWord('xr', 'qrstuvwxyz');
    const event = await createEvent(stack.baseUrl, {
      name: `${inName} Night`,
      performers: [`Ada ${inPerformer}`],
      venue: `${inVenue} Hall`,
      description: `With ${inDescription}`,
      startsAt: inYear(year),
    });
    const range = { from: `${year}-01-01`, to: `${year}-12-31` };
    for (const word of [inName, inPerformer, inVenue]) {
      assert.deepEqual((await found({ q: misspelt(word), ...range })).events.map((e) => e.id), [event.id], word);
    }
    assert.equal((await found({ q: misspelt(inDescription), ...range })).total, 0);
    // A stop word is left out, as full text leaves it out: the name has no "the".
    assert.deepEqual((await found({ q: `the ${misspelt(inName)} nigt`, ...range })).events.map((e) => e.id), [event.id]);
  });

  test('ranks misspelt words by how alike the words of each event are: "lena okafr" finds Lena Okafor before Leo Okafor', async () => {
    const year = 2039;
    const leo = await createEvent(stack.baseUrl, { name: 'Spring Recital', performers: ['Leo Okafor'], startsAt: inYear(year, '02-01') });
    const lena = await createEvent(stack.baseUrl, { name: 'Autumn Recital', performers: ['Lena Okafor'], startsAt: inYear(year, '10-01') });
    await createEvent(stack.baseUrl, { name: 'Winter Recital', performers: ['Lena Berg'], startsAt: inYear(year, '12-01') });
    const page = await found({ q: 'lena okafr', from: `${year}-01-01`, to: `${year}-12-31` });
    assert.deepEqual(page.events.map((e) => e.id), [lena.id, leo.id]);
    assert.equal(page.total, 2);
  });

  test('filters on startsAt: from and to are included, a date alone means its whole day, undated events are left out', async () => {
    const year = 2035;
    const jan = await createEvent(stack.baseUrl, { name: 'Dated Fair January', startsAt: `${year}-01-10T10:00:00.000Z` });
    const feb = await createEvent(stack.baseUrl, { name: 'Dated Fair February', startsAt: `${year}-02-10T10:00:00.000Z` });
    const mar = await createEvent(stack.baseUrl, { name: 'Dated Fair March', startsAt: `${year}-03-10T23:30:00.000Z` });
    await createEvent(stack.baseUrl, { name: 'Dated Fair Someday', startsAt: null });
    const ids = async (query: Record<string, string>) => (await found({ q: 'dated fair', ...query })).events.map((e) => e.id).sort();
    assert.deepEqual(await ids({ from: `${year}-02-01`, to: `${year}-02-28` }), [feb.id]);
    assert.deepEqual(await ids({ from: `${year}-02-10`, to: `${year}-03-10` }), [feb.id, mar.id].sort());
    assert.deepEqual(await ids({ from: `${year}-01-10T10:00:00Z`, to: `${year}-01-10T10:00:00Z` }), [jan.id]);
    assert.deepEqual(await ids({ from: `${year}-01-01`, to: `${year}-03-10T23:00:00Z` }), [jan.id, feb.id].sort());
    assert.deepEqual(await ids({ to: `${year}-01-31` }), [jan.id]);
  });

  test('pages are stable: no event twice, none left out, the same order on every call', async () => {
    const year = 2034;
    const created: string[] = [];
    for (let i = 0; i < 25; i++) {
      // Several on the same day and with equal names: the order must not depend on chance.
      created.push((await createEvent(stack.baseUrl, { name: 'Paging Gala', startsAt: inYear(year, `0${1 + (i % 3)}-01`) })).id);
    }
    const query = { q: 'paging gala', from: `${year}-01-01`, to: `${year}-12-31`, pageSize: 10 };
    const pages = [await found({ ...query, page: 1 }), await found({ ...query, page: 2 }), await found({ ...query, page: 3 })];
    assert.deepEqual(pages.map((p) => p.events.length), [10, 10, 5]);
    assert.ok(pages.every((p) => p.total === 25 && p.pageSize === 10));
    const seen = pages.flatMap((p) => p.events.map((e) => e.id));
    assert.deepEqual([...seen].sort(), [...created].sort());
    const again = [await found({ ...query, page: 1 }), await found({ ...query, page: 2 }), await found({ ...query, page: 3 })];
    assert.deepEqual(again.flatMap((p) => p.events.map((e) => e.id)), seen);
    const startsAt = seen.map((id) => pages.flatMap((p) => p.events).find((e) => e.id === id)?.startsAt ?? '');
    assert.deepEqual(startsAt, [...startsAt].sort(), 'equal scores in date order');
    const beyond = await found({ ...query, page: 4 });
    assert.deepEqual(beyond.events, []);
    assert.equal(beyond.total, 25);
  });

  test('without words: the events in the date range by startsAt, then id, paged without overlap, with the total', async () => {
    const year = 2037;
    const created: EventRecord[] = [];
    // Three on one day, so that equal dates cross a page boundary.
    for (const day of ['03-01', '01-01', '02-01', '01-01', '01-01']) {
      created.push(await createEvent(stack.baseUrl, { startsAt: inYear(year, day) }));
    }
    const query = { from: `${year}-01-01`, to: `${year}-12-31`, pageSize: 2 };
    const pages = [await found({ ...query, page: 1 }), await found({ ...query, page: 2 }), await found({ ...query, page: 3 })];
    assert.deepEqual(pages.map((p) => p.events.length), [2, 2, 1]);
    assert.ok(pages.every((p) => p.total === 5));
    // Code-point order, as PostgreSQL orders uuids and as ISO timestamps of one format sort.
    const key = (e: EventRecord) => `${e.startsAt ?? ''} ${e.id}`;
    const byDateThenId = [...created].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    assert.deepEqual(pages.flatMap((p) => p.events.map((e) => e.id)), byDateThenId.map((e) => e.id));
    const beyond = await found({ ...query, page: 4 });
    assert.deepEqual(beyond.events, []);
    assert.equal(beyond.total, 5);
  });

  test('without words or dates: every event, the undated last', async () => {
    const undated = await createEvent(stack.baseUrl, { startsAt: null });
    const { total } = await found({ pageSize: 1 });
    assert.ok(total >= 2, `total ${total}`);
    const last = await found({ pageSize: 1, page: total });
    assert.equal(last.total, total);
    assert.equal(last.events[0].startsAt, null);
    const dated = await found({ pageSize: 1 });
    assert.notEqual(dated.events[0].startsAt, null);
    assert.notEqual(dated.events[0].id, undated.id);
  });

  const badQueries: [string, Record<string, string | number>][] = [
    ['q is longer than 200 characters', { q: 'x'.repeat(201) }],
    ['from is not a date', { from: 'next tuesday' }],
    ['to is not a date', { to: '2031-13-45' }],
    ['from is after to', { from: '2031-05-02', to: '2031-05-01' }],
    ['page is 0', { page: 0 }],
    ['pageSize is 101', { pageSize: 101 }],
    ['pageSize is not a number', { pageSize: 'ten' }],
    ['an unknown parameter is sent', { sort: 'name' }],
  ];
  for (const [why, query] of badQueries) {
    test(`answers 400 VALIDATION_FAILED when ${why}`, async () => {
      assertError(await search(query), 400, 'VALIDATION_FAILED');
    });
  }

  test('answers 400 VALIDATION_FAILED when q is given twice', async () => {
    assertError(await api(stack.baseUrl).get('/events/search?q=a&q=b'), 400, 'VALIDATION_FAILED');
  });
});
