"""A server on 127.0.0.1 that takes connections and never answers: a hub gone silent behind a link.

The listening socket never calls ``accept``: the kernel completes the TCP handshake into the backlog,
the request's bytes are taken and nothing ever comes back (the way a hung hub, or a link that drops
every reply, looks from the client). With ``drop_syn=True`` the backlog (of one) is filled first, so the
kernel drops every new SYN and a connect hangs, as on a route that loses every packet (Linux).
``refused_url()`` gives an address with nothing listening at all.

Example::

    with BlackHole() as hole:
        store.settings.set_profile(server_url=hole.url)
"""

from __future__ import annotations

import socket


class BlackHole:
    """A listening socket that never accepts."""

    def __init__(self, drop_syn: bool = False) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(0 if drop_syn else 64)
        self.port = self._sock.getsockname()[1]
        self._filler: socket.socket | None = None
        if drop_syn:
            self._filler = socket.create_connection(("127.0.0.1", self.port), timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        if self._filler is not None:
            self._filler.close()
        self._sock.close()

    def __enter__(self) -> BlackHole:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def refused_url() -> str:
    """The address of a port on 127.0.0.1 where nothing listens (a connection there is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
