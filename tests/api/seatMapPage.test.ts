import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { useTestStack } from '../support/stack';

const stack = useTestStack({ worker: false });

describe('GET / (the seat-map page)', () => {
  test('returns 200 HTML that loads the page script and styles', async () => {
    const res = await fetch(`${stack.baseUrl}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<script src="\/app\.js"/);
    assert.match(html, /<link rel="stylesheet" href="\/styles\.css"/);
    assert.match(html, /data-testid="seat-grid"/);
  });

  test('GET /app.js returns 200 JavaScript bundled from web/app.ts with the Socket.IO client inside', async () => {
    const res = await fetch(`${stack.baseUrl}/app.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    const script = await res.text();
    assert.doesNotMatch(script, /^\s*import\s/m, 'the script must be bundled, not ES module imports');
    assert.match(script, /seat_snapshot/);
    assert.match(script, /socket\.io/);
    // Served from memory after the first build: the same bytes again.
    assert.equal(await (await fetch(`${stack.baseUrl}/app.js`)).text(), script);
  });

  test('GET /styles.css returns 200 CSS', async () => {
    const res = await fetch(`${stack.baseUrl}/styles.css`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(await res.text(), /\.seat\[data-status='HELD'\]/);
  });

  test('POST / returns 405', async () => {
    const res = await fetch(`${stack.baseUrl}/`, { method: 'POST' });
    assert.equal(res.status, 405);
  });
});
