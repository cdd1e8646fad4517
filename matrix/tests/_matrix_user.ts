/**
 * A Matrix user of the tests, driven by plain `fetch`: the other side of
 * the bridge.
 *
 * @module
 */

import type { MatrixUser } from "./_synapse.ts";

/** The calls a test makes as a human user. */
export interface Driver {
  readonly userId: string;
  /** Any Client-Server call; throws on a non-2xx answer with its body. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** Sends an `m.room.message`; returns its event ID. */
  send(roomId: string, content: Record<string, unknown>): Promise<string>;
  /** Creates a room; returns its ID. */
  createRoom(body: Record<string, unknown>): Promise<string>;
  join(roomId: string): Promise<void>;
  leave(roomId: string): Promise<void>;
  /** One event of a room. */
  event(roomId: string, eventId: string): Promise<Record<string, unknown>>;
  /** Uploads media; returns its `mxc://` URI. */
  upload(data: Uint8Array<ArrayBuffer>, name: string, type: string): Promise<string>;
  /** Waits (bounded) for an invite to `roomId`... or any room when omitted; returns the room. */
  invited(roomId?: string): Promise<string>;
}

/**
 * A driver for `user` on the homeserver at `url`.
 */
export function driver(url: string, user: MatrixUser): Driver {
  const auth = { Authorization: `Bearer ${user.accessToken}` };
  const room = (id: string) => `/_matrix/client/v3/rooms/${encodeURIComponent(id)}`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? auth : { ...auth, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
  return {
    userId: user.userId,
    call,
    async send(roomId, content) {
      const { event_id } = await call<{ event_id: string }>(
        "PUT",
        `${room(roomId)}/send/m.room.message/${crypto.randomUUID()}`,
        content,
      );
      return event_id;
    },
    async createRoom(body) {
      return (await call<{ room_id: string }>("POST", "/_matrix/client/v3/createRoom", body))
        .room_id;
    },
    async join(roomId) {
      await call("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {});
    },
    async leave(roomId) {
      await call("POST", `${room(roomId)}/leave`, {});
    },
    event: (roomId, eventId) => call("GET", `${room(roomId)}/event/${encodeURIComponent(eventId)}`),
    async upload(data, name, type) {
      const response = await fetch(
        `${url}/_matrix/media/v3/upload?filename=${encodeURIComponent(name)}`,
        {
          method: "POST",
          headers: { ...auth, "Content-Type": type },
          body: data as Uint8Array<ArrayBuffer>,
        },
      );
      const body = await response.json();
      if (!response.ok) throw new Error(`upload: ${JSON.stringify(body)}`);
      return body.content_uri;
    },
    async invited(roomId) {
      let since: string | undefined;
      for (let attempt = 0; attempt < 60; attempt++) {
        const query = new URLSearchParams({ timeout: "1000" });
        if (since !== undefined) query.set("since", since);
        const sync = await call<{ next_batch: string; rooms?: { invite?: object } }>(
          "GET",
          `/_matrix/client/v3/sync?${query}`,
        );
        since = sync.next_batch;
        const invites = Object.keys(sync.rooms?.invite ?? {});
        const found = roomId === undefined ? invites[0] : invites.find((id) => id === roomId);
        if (found !== undefined) return found;
      }
      throw new Error(`${user.userId} got no invite`);
    },
  };
}
