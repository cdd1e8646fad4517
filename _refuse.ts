/**
 * The plain-text status answers of the HTTP and forward-WebSocket handlers.
 * Private: not exported from `mod.ts`.
 *
 * @module
 */

/**
 * A status answer given before the body is read (404, 405, 401, 415, 413);
 * the unread body is cancelled so the connection can be reused.
 */
export async function refuse(
  request: Request,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  await request.body?.cancel().catch(() => {});
  return new Response(text, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...headers },
  });
}
