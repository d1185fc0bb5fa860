"""Answers compressed for clients that take gzip; writes for those that do not pass straight through.

Starlette's `GZipMiddleware` wraps every response, even for a client that sent no
`Accept-Encoding: gzip`: it holds the response's start until the body shows its size, then
passes it on unchanged, adding `Vary: Accept-Encoding` when it is over the minimum size. On
`POST /events` that wrapping was about a twentieth of the event loop's work a request, for an
answer under the minimum size (a receipt). A write whose client takes no gzip now skips it:
its answer is the same, less that `Vary` on a large one (a batch's receipts, a long problem),
which tells caches about variants of responses no cache keeps (answers to POST).
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import Receive, Scope, Send


class Compression(GZipMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and not _takes_gzip(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _takes_gzip(scope: Scope) -> bool:
    return any(name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"])
