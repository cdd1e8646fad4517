"""A plain aiohttp OneBot 12 application, for libob's interop test.

tests/interop/aiohttp_test.ts runs it with the Python of a virtual environment
that has PyPI's ``aiohttp`` (``.ci/run`` makes it), then points the demo's
reverse WebSocket and webhook at it. aiohttp is a strict HTTP server: it
refuses a request with two ``User-Agent`` lines (400 "Duplicate 'User-Agent'
header found"), which is how libob's handshake was once refused.

It listens on 127.0.0.1, on a port the system picks, and serves:

- ``GET /ws``: a reverse WebSocket endpoint. On ``meta.connect`` it calls
  ``get_version`` (echo ``aiohttp-get_version``); on a message event whose
  text is ``ping`` it calls ``send_message`` with ``pong (websocket)`` (echo
  ``aiohttp-pong``).
- ``POST /webhook``: a webhook receiver. It answers a ``ping`` message event
  with 200 and the action list ``[send_message "pong (webhook)"]``, anything
  else with 204.

With ``ONEBOT_TOKEN`` set, both require ``Authorization: Bearer <token>``
and answer 401 without it. Everything it sees is printed on stdout, one JSON
object a line: ``listening`` (with the port) first, then ``ws_open``,
``ws_frame``, ``ws_closed``, ``webhook`` and ``refused``.
"""

import asyncio
import json
import os
import socket
import sys

from aiohttp import WSMsgType, web

TOKEN = os.environ.get("ONEBOT_TOKEN", "")


def report(kind, **fields):
    print(json.dumps({"kind": kind, **fields}), flush=True)


def authorized(request):
    return TOKEN == "" or request.headers.get("Authorization") == f"Bearer {TOKEN}"


def refuse(request, where):
    report("refused", where=where, authorization=request.headers.get("Authorization"))
    return web.Response(status=401, text="invalid access token")


def pong(event, text):
    """A send_message request answering a private or group message event."""
    params = {"detail_type": event["detail_type"]}
    if event["detail_type"] == "group":
        params["group_id"] = event["group_id"]
    else:
        params["user_id"] = event["user_id"]
    params["message"] = [{"type": "text", "data": {"text": text}}]
    return {"action": "send_message", "params": params}


def is_ping(event):
    return event.get("type") == "message" and event.get("alt_message") == "ping"


async def websocket(request):
    if not authorized(request):
        return refuse(request, "ws")
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    report(
        "ws_open",
        user_agents=request.headers.getall("User-Agent", []),
        protocols=request.headers.get("Sec-WebSocket-Protocol"),
    )
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            report("ws_other", type=str(message.type))
            continue
        frame = json.loads(message.data)
        report("ws_frame", frame=frame)
        if frame.get("type") == "meta" and frame.get("detail_type") == "connect":
            await ws.send_json({"action": "get_version", "params": {}, "echo": "aiohttp-get_version"})
        elif is_ping(frame):
            await ws.send_json({**pong(frame, "pong (websocket)"), "echo": "aiohttp-pong"})
    report("ws_closed", code=ws.close_code)
    return ws


async def webhook(request):
    if not authorized(request):
        return refuse(request, "webhook")
    event = await request.json()
    report(
        "webhook",
        event=event,
        user_agents=request.headers.getall("User-Agent", []),
        impl=request.headers.get("X-Impl"),
    )
    if is_ping(event):
        return web.json_response([pong(event, "pong (webhook)")])
    return web.Response(status=204)


async def main():
    app = web.Application()
    app.router.add_get("/ws", websocket)
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    report("listening", port=sock.getsockname()[1], aiohttp=sys.modules["aiohttp"].__version__)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
