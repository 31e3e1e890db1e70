/** Deals the next 1–2 free seats to each buyer in turn, so seated holds succeed, never collide, and spread over the event. */
export function seatDealer(): () => number[] {
  let next = 1;
  let turn = 0;
  return () => {
    const count = (turn++ % 2) + 1;
    const seats = Array.from({ length: count }, (_, i) => next + i);
    next += count;
    return seats;
  };
}
