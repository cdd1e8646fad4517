"""The smallest pylibob 0.1 implementation answering get_version (built in) and
send_message, for `deno task load --peers`: `python app.py <port>` on 127.0.0.1,
HTTP and forward WebSocket on one port, under uvicorn without access logs."""

import asyncio
import itertools
import sys
import time

from pylibob import HTTP, Bot, OneBotImpl, WebSocket
from pylibob.runner import ServerRunner

PORT = int(sys.argv[1])
impl = OneBotImpl(
    "pylibob-bench",
    "0.0.0",
    [
        HTTP(host="127.0.0.1", port=PORT, event_enabled=False),
        WebSocket(host="127.0.0.1", port=PORT, enable_heartbeat=False),
    ],
    Bot(platform="bench", user_id="bot", online=True),
)
message_ids = itertools.count(1)


@impl.action("send_message")
async def _(detail_type: str, user_id: str, message: list):
    return {"message_id": str(next(message_ids)), "time": time.time()}


# impl.run() would start uvicorn with an access-log line per request: pass the
# same runner its uvicorn options instead.
print(f"listening {PORT} {PORT}", flush=True)
asyncio.run(ServerRunner("127.0.0.1", PORT, access_log=False, log_level="warning").run())
