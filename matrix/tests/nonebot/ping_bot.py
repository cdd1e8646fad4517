"""A NoneBot2 bot for the Matrix bridge's end-to-end test: answers "ping" with "pong".

matrix/tests/bridge_test.ts runs it with the Python of the ``nonebot`` virtual
environment that ``.ci/run`` makes (PyPI ``nonebot2`` and
``nonebot-adapter-onebot``), connected to the bridge over the forward
WebSocket (``DRIVER=~websockets``, ``ONEBOT_V12_WS_URLS``,
``ONEBOT_V12_ACCESS_TOKEN``). It prints what it sees on stdout, one JSON
object a line (``connected``, ``ping``), among NoneBot's own log lines.
"""

import json

import nonebot
from nonebot import on_fullmatch
from nonebot.adapters.onebot.v12 import Adapter, Bot, MessageEvent


def report(kind, **fields):
    print(json.dumps({"kind": kind, **fields}, default=str), flush=True)


nonebot.init()
driver = nonebot.get_driver()
driver.register_adapter(Adapter)


@driver.on_bot_connect
async def connected(bot: Bot):
    report("connected", self_id=bot.self_id, platform=bot.platform, impl=bot.impl)


ping = on_fullmatch("ping")


@ping.handle()
async def pong(event: MessageEvent):
    report("ping", detail_type=event.detail_type, user_id=event.user_id)
    await ping.send("pong")


if __name__ == "__main__":
    nonebot.run()
