"""HEAD answered wherever GET is (SPEC §14), outside the OpenAPI document.

FastAPI, unlike Starlette, routes a HEAD only to a route that names it, so every read was 405.
Here a HEAD goes in as the GET it asks about, and only the GET's status and headers come out
(its `Content-Length` too, as HTTP says a HEAD's answer should). A streaming answer (the live
feed, a CSV export) is ended once its headers are out: the app is told the client has gone,
which is how such an answer stops. It wraps every other layer, so the answer's headers are the
GET's exactly (compressed as the GET would be), and request lines and metrics show the GET.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GONE: Message = {"type": "http.disconnect"}


class Heads:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        answered = anyio.Event()

        async def headers_only(message: Message) -> None:
            if answered.is_set():
                return
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                answered.set()

        async def until_answered() -> Message:
            if answered.is_set():
                return GONE
            heard: Message = GONE
            async with anyio.create_task_group() as waiting:

                async def client() -> None:
                    nonlocal heard
                    heard = await receive()
                    waiting.cancel_scope.cancel()

                async def answer() -> None:
                    await answered.wait()
                    waiting.cancel_scope.cancel()

                waiting.start_soon(client)
                waiting.start_soon(answer)
            return heard

        await self.app({**scope, "method": "GET"}, until_answered, headers_only)
