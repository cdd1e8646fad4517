"""A NoneBot2 bot with the OneBot 12 adapter, for libob's interop test.

tests/interop/nonebot_test.ts runs it with the Python of a virtual environment
that has PyPI's ``nonebot2`` and ``nonebot-adapter-onebot`` (``.ci/run`` makes
it), once per transport, against the real ``deno task start`` demo. NoneBot
reads its settings from the environment (``nonebot.init()``):

- ``DRIVER``: ``~fastapi+~websockets`` (forward WebSocket client, reverse
  WebSocket and webhook server) or ``~fastapi+~httpx`` (HTTP client);
- ``HOST`` / ``PORT``: where its server listens (reverse WebSocket on
  ``/onebot/v12/ws``, webhook on ``/onebot/v12/http``);
- ``ONEBOT_V12_ACCESS_TOKEN``, ``ONEBOT_V12_WS_URLS`` (forward WebSocket, a
  JSON list), ``ONEBOT_V12_API_ROOTS`` (HTTP, a JSON object of bot ID to
  URL), ``ONEBOT_V12_USE_MSGPACK`` (actions in MessagePack);
- ``LIBOB_LABEL``: the name of this run, in what the bot says.

When a bot connects it calls ``get_self_info``, ``get_friend_list``,
``send_message`` to group 20001 (``hello (LABEL)``) and ``get_user_info`` of
an unknown user (which fails), and answers a message ``ping`` with
``pong (LABEL)``. What it sees is printed on stdout, one JSON object a line
(``connected``, ``called``, ``failed``, ``ping``), among NoneBot's own log
lines.
"""

import json
import os

import nonebot
from nonebot import on_fullmatch
from nonebot.adapters.onebot.v12 import Adapter, Bot, MessageEvent

LABEL = os.environ.get("LIBOB_LABEL", "nonebot")


def report(kind, **fields):
    print(json.dumps({"kind": kind, "label": LABEL, **fields}, default=str), flush=True)


def describe(error):
    """An exception's type, message and retcode, and those of its cause."""
    if error is None:
        return None
    return {
        "type": type(error).__name__,
        "retcode": getattr(error, "retcode", None),
        "message": str(getattr(error, "message", "")),
        "cause": describe(error.__cause__),
    }


nonebot.init()
driver = nonebot.get_driver()
driver.register_adapter(Adapter)


@driver.on_bot_connect
async def connected(bot: Bot):
    report("connected", self_id=bot.self_id, platform=bot.platform, impl=bot.impl)
    calls = [
        ("get_self_info", {}),
        ("get_friend_list", {}),
        (
            "send_message",
            {
                "detail_type": "group",
                "group_id": "20001",
                "message": [{"type": "text", "data": {"text": f"hello ({LABEL})"}}],
            },
        ),
    ]
    for action, params in calls:
        try:
            data = await bot.call_api(action, **params)
            report("called", action=action, data=data)
        except Exception as error:  # noqa: BLE001 -- reported, the test fails on it
            report("failed", action=action, error=describe(error))
    try:
        await bot.call_api("get_user_info", user_id="99999")
        report("called", action="get_user_info")
    except Exception as error:  # noqa: BLE001 -- the failure is what is reported
        report("failed", action="get_user_info", error=describe(error))


ping = on_fullmatch("ping")


@ping.handle()
async def pong(event: MessageEvent):
    report("ping", detail_type=event.detail_type, user_id=event.user_id)
    await ping.send(f"pong ({LABEL})")


if __name__ == "__main__":
    nonebot.run()
