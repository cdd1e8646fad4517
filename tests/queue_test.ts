import { expect } from "expect";
import { createBoundedQueue } from "../_queue.ts";

Deno.test("createBoundedQueue() drops the oldest item beyond its capacity and returns it", () => {
  const queue = createBoundedQueue<number>(2);
  expect(queue.push(1)).toBeUndefined();
  expect(queue.push(2)).toBeUndefined();
  expect(queue.push(3)).toBe(1);
  expect(queue.length).toBe(2);
  expect(queue.take(0)).toEqual([2, 3]);
  expect(queue.length).toBe(0);
});

Deno.test("createBoundedQueue() with capacity 0 is unlimited", () => {
  const queue = createBoundedQueue<number>(0);
  for (let i = 0; i < 5000; i++) expect(queue.push(i)).toBeUndefined();
  expect(queue.length).toBe(5000);
  expect(queue.take(3)).toEqual([0, 1, 2]);
  expect(queue.peek()).toBe(3);
  expect(queue.shift()).toBe(3);
  expect(queue.length).toBe(4996);
});

Deno.test("createBoundedQueue() keeps order across many shifts (compaction)", () => {
  const queue = createBoundedQueue<number>(0);
  for (let i = 0; i < 3000; i++) queue.push(i);
  for (let i = 0; i < 2000; i++) expect(queue.shift()).toBe(i);
  queue.push(3000);
  expect(queue.take(0)).toEqual(Array.from({ length: 1001 }, (_, i) => i + 2000));
  expect(queue.shift()).toBeUndefined();
  expect(queue.peek()).toBeUndefined();
});
