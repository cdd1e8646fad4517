/**
 * The one bounded FIFO of the library: the event buffer, the webhook's
 * backlog and the reverse WebSocket's backlog. Beyond its capacity the
 * oldest item is dropped; capacity `0` means unlimited, the meaning of `0`
 * in every option that counts items (the event buffer, the backlogs,
 * `maxPollers`), as `event_buffer_size` has it in the spec. Byte limits are
 * never unlimited: they must be > 0.
 * Private: not exported from `mod.ts`.
 *
 * @module
 */

/** A drop-oldest FIFO; taking from the front is O(1) amortized. */
export interface BoundedQueue<T> {
  /** How many items wait. */
  readonly length: number;
  /** Appends `item`; returns the oldest item dropped to make room, if one was. */
  push(item: T): T | undefined;
  /** The oldest item, left in place. */
  peek(): T | undefined;
  /** Removes and returns the oldest item. */
  shift(): T | undefined;
  /** Removes and returns up to `count` oldest items (`0` = all), oldest first. */
  take(count: number): T[];
}

/**
 * Creates an empty queue holding at most `capacity` items (`0` = unlimited).
 * The capacity is checked by the caller's factory.
 */
export function createBoundedQueue<T>(capacity: number): BoundedQueue<T> {
  let items: T[] = [];
  let head = 0;

  // Frees consumed slots, so memory stays bounded by what waits even when nothing is taken.
  function compact(): void {
    if (head === items.length) {
      items = [];
      head = 0;
    } else if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
  }

  const queue: BoundedQueue<T> = {
    get length() {
      return items.length - head;
    },
    push(item) {
      const dropped = capacity > 0 && queue.length >= capacity ? queue.shift() : undefined;
      items.push(item);
      return dropped;
    },
    peek() {
      return head < items.length ? items[head] : undefined;
    },
    shift() {
      if (head === items.length) return undefined;
      const item = items[head]!;
      items[head++] = undefined as T; // release it for the GC
      compact();
      return item;
    },
    take(count) {
      const available = items.length - head;
      const taken = items.slice(head, head + (count > 0 && count < available ? count : available));
      head += taken.length;
      compact();
      return taken;
    },
  };
  return queue;
}
