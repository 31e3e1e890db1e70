/**
 * The waiting room on the seat-map page: for an event with a room, the buyer joins the queue, sees
 * their position and ETA live (Socket.IO `queue_place` messages), and once admitted the page opens
 * the seat map and books with the admission token.
 */
import { io, type Socket } from 'socket.io-client';
import type { EventRecord } from '../domain/event';
import type { QueuePlaceView } from '../domain/waitingRoom';
import { QueueEvents } from '../domain/waitingRoomMessages';
import { bearerToken, callApi, describeError } from './api';

export interface WaitingRoomElements {
  panel: HTMLElement;
  status: HTMLElement;
  position: HTMLElement;
  join: HTMLButtonElement;
}

export interface WaitingRoomHooks {
  /** The user the page books as (undefined with a bearer token: the server takes the token's). */
  userId(): string | undefined;
  /** The buyer is in: open the seat map. */
  onAdmitted(): void;
  /** The buyer is no longer admitted (lapsed, sold out): close the seat map again. */
  onClosed(): void;
  onError(message: string): void;
}

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');

function describe(place: QueuePlaceView, event: EventRecord): { status: string; position: string } {
  switch (place.status) {
    case 'WAITING':
      return place.position === null
        ? { status: `You are in the queue. Places are drawn at random when the sale opens${event.onSaleAt ? ` at ${time(event.onSaleAt)}` : ''}.`, position: '' }
        : {
            status: 'You are in the queue: this page moves on by itself when it is your turn.',
            position: `Position ${place.position}${place.etaSeconds !== null ? ` · about ${place.etaSeconds} s` : ''}`,
          };
    case 'ADMITTED':
      return { status: `It is your turn: pick your seats before ${place.admittedUntil ? time(place.admittedUntil) : 'your time is up'}.`, position: 'You are in' };
    case 'EXPIRED':
      return { status: 'Your turn lapsed before you booked: join the queue again.', position: '' };
    case 'SOLD_OUT':
      return { status: 'Sold out: every seat is taken.', position: 'Sold out' };
  }
}

export class WaitingRoomView {
  private socket: Socket | undefined;
  private event: EventRecord | undefined;
  private place: QueuePlaceView | undefined;

  constructor(
    private readonly ui: WaitingRoomElements,
    private readonly hooks: WaitingRoomHooks,
  ) {
    ui.join.addEventListener('click', () => void this.join());
  }

  /** Shows the room for an event that has one and answers true (keep the seat map closed); else hides it. */
  show(event: EventRecord): boolean {
    this.leave();
    this.event = event;
    this.ui.panel.hidden = !event.waitingRoom;
    if (!event.waitingRoom) return false;
    this.ui.join.hidden = false;
    this.ui.join.disabled = false;
    this.ui.status.textContent = `This sale has a waiting room: buyers are let in ${event.waitingRoom.admitPerMinute} a minute.`;
    this.ui.position.textContent = '';
    return true;
  }

  /** The token to book with, while admitted. */
  admissionToken(): string | undefined {
    const place = this.place;
    if (!place || place.status !== 'ADMITTED' || !place.admissionToken) return undefined;
    return place.admittedUntil && Date.parse(place.admittedUntil) <= Date.now() ? undefined : place.admissionToken;
  }

  private async join(): Promise<void> {
    const event = this.event;
    if (!event) return;
    const userId = this.hooks.userId();
    if (userId === '') return this.hooks.onError('Enter a user id first.');
    this.ui.join.disabled = true;
    try {
      const place = await callApi<QueuePlaceView>('POST', `/events/${encodeURIComponent(event.id)}/queue`, userId === undefined ? {} : { userId });
      this.ui.join.hidden = true;
      this.render(place);
      this.watch(place);
    } catch (err) {
      this.ui.join.disabled = false;
      this.hooks.onError(describeError(err));
    }
  }

  private watch(place: QueuePlaceView): void {
    // With auth on, the place is its owner's only: the socket carries the page's bearer token.
    const token = bearerToken();
    const socket = io({ transports: ['websocket', 'polling'], ...(token ? { auth: { token } } : {}) });
    this.socket = socket;
    // (Re)subscribing answers the place as it is now, so a reconnect misses nothing.
    socket.on('connect', () => socket.emit(QueueEvents.subscribe, { eventId: place.eventId, queueId: place.queueId }));
    socket.on(QueueEvents.place, (latest: QueuePlaceView) => {
      if (latest.queueId === this.place?.queueId) this.render(latest);
    });
    socket.on(QueueEvents.error, (err: { message: string }) => this.hooks.onError(err.message));
  }

  private render(place: QueuePlaceView): void {
    const was = this.place?.status;
    this.place = place;
    if (!this.event) return;
    const text = describe(place, this.event);
    this.ui.status.textContent = text.status;
    this.ui.position.textContent = text.position;
    this.ui.panel.dataset.queueStatus = place.status;
    if (place.status === 'ADMITTED' && was !== 'ADMITTED') this.hooks.onAdmitted();
    if (place.status !== 'ADMITTED' && was === 'ADMITTED') this.hooks.onClosed();
    if (place.status === 'EXPIRED') {
      this.ui.join.hidden = false;
      this.ui.join.disabled = false;
      this.leave(false);
    }
  }

  private leave(forget = true): void {
    this.socket?.close();
    this.socket = undefined;
    if (forget) this.place = undefined;
  }
}
