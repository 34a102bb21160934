"""The asyncio shell: puretls client and server on one event loop, and against openssl."""

from __future__ import annotations

import asyncio

import pytest

import tls
from interop import peers
from tests.tls import _creds
from tls.io import aio


def test_asyncio_client_and_server_echo():
    cred = _creds.credential("ed25519")
    server_config = tls.ServerConfig(certificates=[([cred.cert], cred.key)])
    client_config = tls.ClientConfig(authenticator=_creds.pinned(cred))

    async def echo(stream):
        while data := await stream.read():
            await stream.write(data[::-1])

    async def main():
        server = await aio.start_server(echo, "127.0.0.1", 0, server_config)
        port = server.sockets[0].getsockname()[1]
        async with server:
            client = await aio.connect("127.0.0.1", port, client_config, "localhost")
            await client.write(b"over asyncio")
            answer = await client.read()
            await client.key_update(request_peer=True)
            await client.write(b"again")
            again = await client.read()
            await client.close()
        return answer, again, client.info()

    answer, again, info = asyncio.run(asyncio.wait_for(main(), 30))
    assert answer == b"oicnysa revo" and again == b"niaga"
    assert info["peer_signature_scheme"] == "ed25519"


@pytest.mark.interop
def test_asyncio_client_against_openssl(tmp_path):
    cred = _creds.credential("p256")
    (tmp_path / "c.pem").write_bytes(cred.cert_pem)
    (tmp_path / "k.pem").write_bytes(cred.key_pem)

    async def main(port):
        config = tls.ClientConfig(authenticator=_creds.pinned(cred))
        stream = await aio.connect("127.0.0.1", port, config, "localhost")
        await stream.write(b"async\n")
        answer = await stream.read()
        await stream.close()
        return answer

    with peers.openssl_server(tmp_path / "c.pem", tmp_path / "k.pem") as (port, _):
        assert asyncio.run(asyncio.wait_for(main(port), 30)) == b"cnysa\n"
