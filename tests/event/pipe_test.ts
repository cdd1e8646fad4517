import { configure, type LogRecord, reset } from "@logtape/logtape";
import { expect } from "expect";
import { createEvent } from "../../event/create.ts";
import type { Event } from "../../event/types.ts";
import { createOneBot, type OneBot } from "../../onebot.ts";
import { within } from "../_loopback.ts";

const self = { platform: "fakechat", user_id: "bot" };

function notice(userId: string): Event {
  return createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: userId });
}

/** A OneBot, what it emits, and the libob log lines, until disposed. */
async function setup(): Promise<
  AsyncDisposable & {
    onebot: OneBot;
    events: Event[];
    logs: LogRecord[];
    /** Resolves once `count` events have been emitted. */
    until(count: number): Promise<void>;
  }
> {
  const logs: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => void logs.push(record) },
    loggers: [
      { category: ["libob"], sinks: ["memory"], lowestLevel: "info" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
    reset: true,
  });
  const onebot = createOneBot({
    impl: "pipe-test",
    version: "1.0.0",
    handlers: {},
    websocket: false,
  });
  const events: Event[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  onebot.attach({
    emit(event) {
      events.push(event);
      for (const waiter of waiters) if (events.length >= waiter.count) waiter.resolve();
    },
    [Symbol.asyncDispose]: () => Promise.resolve(),
  }, { greeting: false });
  return {
    onebot,
    events,
    logs,
    until(count) {
      const { promise, resolve } = Promise.withResolvers<void>();
      waiters.push({ count, resolve });
      if (events.length >= count) resolve();
      return within(promise, `${count} events`);
    },
    async [Symbol.asyncDispose]() {
      await onebot[Symbol.asyncDispose]();
      await reset();
    },
  };
}

function lines(logs: LogRecord[]): string[] {
  return logs.map((record) =>
    `${record.level}: ${
      record.message.map((part) => part instanceof Error ? part.message : String(part)).join("")
    }`
  );
}

/** An async iterable fed by hand; its iterator's `return()` ends a pending `next()`. */
function channel<T>(): AsyncIterable<T> & { push(item: T): void; returned: Promise<void> } {
  const items: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  const returned = Promise.withResolvers<void>();
  return {
    push(item) {
      if (waiting === undefined) items.push(item);
      else {
        waiting({ done: false, value: item });
        waiting = undefined;
      }
    },
    returned: returned.promise,
    [Symbol.asyncIterator]: () => ({
      next: () =>
        items.length > 0
          ? Promise.resolve({ done: false, value: items.shift()! })
          : new Promise((resolve) => waiting = resolve),
      return() {
        waiting?.({ done: true, value: undefined });
        returned.resolve();
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  };
}

Deno.test("OneBot.pipe() emits every event of a source, logs and skips an invalid one, and logs the end (EV-01)", async () => {
  await using t = await setup();
  async function* source(): AsyncGenerator<Event> {
    yield notice("1");
    yield { ...notice("2"), time: Date.now() }; // milliseconds
    yield notice("3");
  }
  await t.onebot.pipe(source()).done;
  expect(t.events.map((event) => event.user_id)).toEqual(["1", "3"]);
  expect(lines(t.logs)).toEqual([
    expect.stringMatching(
      /^error: An event pipe skipped item 1: .*Cannot emit event: time must be in seconds/,
    ),
    "warning: An event pipe stopped: its source ended after 3 items",
  ]);
});

Deno.test("OneBot.pipe() stops on a failing source, logged at error, never throwing", async () => {
  await using t = await setup();
  async function* source(): AsyncGenerator<Event> {
    yield notice("1");
    throw new Error("platform connection lost");
  }
  await t.onebot.pipe(source()).done;
  expect(t.events.map((event) => event.user_id)).toEqual(["1"]);
  expect(lines(t.logs)).toEqual([
    "error: An event pipe stopped: its source failed after 1 items: platform connection lost",
  ]);
});

Deno.test("OneBot.pipe() with each: maps platform items, and an item whose each fails is logged and skipped", async () => {
  await using t = await setup();
  const bot = t.onebot.bot(self);
  async function* platform(): AsyncGenerator<{ from: string; text: string }> {
    yield { from: "alice", text: "hi" };
    yield { from: "", text: "no sender" };
    yield { from: "bob", text: "yo" };
  }
  let n = 0;
  const pipe = t.onebot.pipe(platform(), async (item) => {
    await Promise.resolve();
    bot.emit.privateMessage({ message_id: String(++n), user_id: item.from, message: item.text });
  });
  await pipe.done;
  expect(t.events.map((event) => event.alt_message)).toEqual(["hi", "yo"]);
  expect(lines(t.logs)[0]).toMatch(
    /^error: An event pipe skipped item 1: .*user_id must be a non-empty string/,
  );
});

Deno.test("OneBot.pipe() runs until the OneBot is disposed, then calls the source's return()", async () => {
  const t = await setup();
  const source = channel<Event>();
  const pipe = t.onebot.pipe(source);
  source.push(notice("1"));
  source.push(notice("2"));
  await t.until(2);
  await t.onebot[Symbol.asyncDispose]();
  await pipe.done;
  await source.returned;
  source.push(notice("3"));
  expect(t.events.map((event) => event.user_id)).toEqual(["1", "2"]);
  // A pipe started after dispose does nothing and says so.
  await t.onebot.pipe(channel<Event>()).done;
  expect(lines(t.logs)).toEqual(["warning: An event pipe started after dispose was not run"]);
  await t[Symbol.asyncDispose]();
});

Deno.test("EventPipe dispose stops that pipe only; an async generator source runs its finally", async () => {
  await using t = await setup();
  const other = channel<Event>();
  const otherPipe = t.onebot.pipe(other);
  const closed = Promise.withResolvers<void>();
  const gate = Promise.withResolvers<void>();
  async function* source(): AsyncGenerator<Event> {
    try {
      yield notice("1");
      await gate.promise;
      yield notice("never");
    } finally {
      closed.resolve();
    }
  }
  const pipe = t.onebot.pipe(source());
  other.push(notice("2"));
  await t.until(2);
  await pipe[Symbol.asyncDispose]();
  gate.resolve(); // the generator resumes, sees return() and runs its finally
  other.push(notice("3"));
  await t.until(3);
  await otherPipe[Symbol.asyncDispose]();
  await other.returned;
  await within(closed.promise, "the generator's finally");
  expect(t.events.map((event) => event.user_id).sort()).toEqual(["1", "2", "3"]);
});

Deno.test("OneBot.pipe((signal) => source) aborts a long poll in flight at dispose and awaits the source's end", async () => {
  const t = await setup();
  const polling = Promise.withResolvers<void>();
  const answer = Promise.withResolvers<Response>();
  // A long poll that answers once, then never until the client goes away.
  let polls = 0;
  await using server = Deno.serve({ port: 0, onListen() {} }, () => {
    polls++;
    if (polls === 1) return Response.json([notice("1")]);
    polling.resolve();
    return answer.promise;
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  let finished = false;
  const pipe = t.onebot.pipe(async function* (signal) {
    try {
      while (true) {
        const response = await fetch(url, { signal });
        yield* (await response.json()) as Event[];
      }
    } finally {
      finished = true;
    }
  });
  await t.until(1);
  await within(polling.promise, "the second poll");
  await t.onebot[Symbol.asyncDispose]();
  // Dispose has waited for the source: its fetch is aborted and its finally has run.
  expect(finished).toBe(true);
  await pipe.done;
  answer.resolve(new Response("[]")); // too late: nobody reads it
  expect(t.events.map((event) => event.user_id)).toEqual(["1"]);
  expect(lines(t.logs)).toEqual([]); // the abort is the stop, not a failure
  await t[Symbol.asyncDispose]();
});

Deno.test("OneBot.pipe((signal) => source, each): each gets the signal; a bad item is skipped; EventPipe dispose stops that pipe only", async () => {
  await using t = await setup();
  const bot = t.onebot.bot(self);
  const signals: AbortSignal[] = [];
  const source = channel<string>();
  let given: AbortSignal | undefined;
  const pipe = t.onebot.pipe((signal) => {
    given = signal;
    return source;
  }, (user, signal) => {
    signals.push(signal);
    bot.emit.friendIncrease({ user_id: user });
  });
  source.push("alice");
  source.push("");
  source.push("bob");
  await t.until(2);
  expect(signals.every((signal) => signal === given)).toBe(true);
  expect(given?.aborted).toBe(false);
  await pipe[Symbol.asyncDispose]();
  expect(given?.aborted).toBe(true);
  await within(source.returned, "return()");
  expect(t.events.map((event) => event.user_id)).toEqual(["alice", "bob"]);
  expect(lines(t.logs)).toEqual([
    expect.stringMatching(/^error: An event pipe skipped item 1: .*user_id/),
  ]);
  // After dispose, a source function is never called.
  await t.onebot[Symbol.asyncDispose]();
  let called = false;
  await t.onebot.pipe(() => {
    called = true;
    return channel<Event>();
  }).done;
  expect(called).toBe(false);
});

Deno.test("OneBot.pipe() stops, logged, when a hand-written source's next() gives no iterator result; done never rejects", async () => {
  await using t = await setup();
  const broken = {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(5) }),
  } as unknown as AsyncIterable<Event>;
  await t.onebot.pipe(broken).done;
  await t.onebot.pipe((_signal: AbortSignal) => broken).done;
  expect(lines(t.logs)).toEqual([
    "error: An event pipe stopped: its source's next() gave no iterator result after 0 items",
    "error: An event pipe stopped: its source's next() gave no iterator result after 0 items",
  ]);
});
