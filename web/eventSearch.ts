import type { EventRecord } from '../domain/event';
import { callApi, describeError } from './api';

interface SearchPage {
  events: EventRecord[];
  total: number;
}

export interface EventSearchElements {
  form: HTMLFormElement;
  q: HTMLInputElement;
  from: HTMLInputElement;
  to: HTMLInputElement;
  results: HTMLElement;
  status: HTMLElement;
}

const when = (startsAt: string | null) =>
  startsAt ? new Date(startsAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) : 'no date';

/**
 * The search box: GET /events/search with the words and dates, the first page of results as
 * buttons; choosing one shows that event's seat map.
 */
export function mountEventSearch(ui: EventSearchElements, choose: (event: EventRecord) => void): void {
  ui.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    if (ui.q.value.trim()) params.set('q', ui.q.value.trim());
    if (ui.from.value) params.set('from', ui.from.value);
    if (ui.to.value) params.set('to', ui.to.value);
    params.set('pageSize', '10');
    ui.status.textContent = 'Searching…';
    try {
      const page = await callApi<SearchPage>('GET', `/events/search?${params}`);
      ui.status.textContent = page.total === 0 ? 'No events found' : `${page.total} found${page.total > page.events.length ? `, the first ${page.events.length} shown` : ''}`;
      ui.results.replaceChildren(
        ...page.events.map((event) => {
          const item = document.createElement('li');
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'search-result';
          button.dataset.eventId = event.id;
          button.textContent = `${event.name} · ${event.venue || 'venue to be announced'} · ${when(event.startsAt)}`;
          button.addEventListener('click', () => choose(event));
          item.append(button);
          return item;
        }),
      );
    } catch (err) {
      ui.status.textContent = describeError(err);
      ui.results.replaceChildren();
    }
  });
}
