/**
 * The fair draw of the pre-queue (docs/waiting-room.md#verifying-the-draw): everyone who joined
 * before the on-sale is placed by sha256(seed ":" queueId), smallest first, so the order is a
 * permutation fixed by the seed and unrelated to who arrived first. The seed's sha256 is published
 * before the sale (the commitment) and the seed itself after it opens, so anyone can recompute it.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new random seed: 32 bytes, hex. */
export function newSeed(): string {
  return randomBytes(32).toString('hex');
}

/** What is published before the sale: the seed's sha256, hex. */
export function commitmentOf(seed: string): string {
  return createHash('sha256').update(seed, 'utf8').digest('hex');
}

/** The draw key of one queue id: sha256 of `${seed}:${queueId}`, hex. */
export function drawKey(seed: string, queueId: string): string {
  return createHash('sha256').update(`${seed}:${queueId}`, 'utf8').digest('hex');
}

const DRAW_SPAN = 2 ** 48;

/**
 * The draw key's first 48 bits as a score below zero: a sorted set orders pre-queue places by it
 * (exact in a double), ahead of every later arrival, whose scores count up from 1.
 */
export function drawScore(seed: string, queueId: string): number {
  return parseInt(drawKey(seed, queueId).slice(0, 12), 16) - DRAW_SPAN;
}

/** The pre-queue's order: by draw key (ties, as good as impossible, by queue id). Pure. */
export function drawOrder(seed: string, queueIds: readonly string[]): string[] {
  return [...queueIds]
    .map((queueId) => ({ queueId, key: drawKey(seed, queueId).slice(0, 12) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.queueId < b.queueId ? -1 : a.queueId > b.queueId ? 1 : 0))
    .map((entry) => entry.queueId);
}
