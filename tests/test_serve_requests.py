"""`sitegen serve` answers hand-made request paths with a 4xx, and never with a file from
outside the output directory.

The server runs in a thread of the test process, on a port the system picks,
serving a small site whose folder sits beside a secret file; requests are sent
over a raw socket, byte for byte as written here (a client library would clean
them up first).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.site.livereload import Builds
from sitegen.site.output import write_site
from sitegen.site.servehttp import Served, bind

SITE = {"index.html": b"home", "sitemap.xml": b"<urlset/>", "404.html": b"page not found",
        "a/index.html": b"page a"}
SECRET = b"SECRET beside the output"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[int, Path]]:
    root = tmp_path_factory.mktemp("serve")
    (root / "secret.txt").write_bytes(SECRET)
    out = root / "out"
    write_site(SITE, out)
    (out / "leak").symlink_to(root / "secret.txt")  # never made by a build; still not served
    (out / "up").symlink_to(root)
    server = bind("127.0.0.1", 0, Served(out.resolve(), Builds()))
    assert server is not None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], out
    server.shutdown()
    server.server_close()


def ask(port: int, target: bytes, method: bytes = b"GET") -> tuple[int, bytes]:
    """The status and body of one request, sent as these very bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(method + b" " + target + b" HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer, f"the connection was dropped without an answer to {target[:40]!r}"
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


HOSTILE = {
    "NUL": (b"/%00", 400), "NUL inside": (b"/a%00b/", 400),
    "control character": (b"/a%01", 400), "DEL": (b"/%7f", 400),
    "C1 control character": (b"/%c2%85", 400), "header injection": (b"/%0d%0aX-A:%20b", 400),
    "dot-dot": (b"/../secret.txt", 400), "escaped dot-dot": (b"/%2e%2e/secret.txt", 400),
    "half escaped dot-dot": (b"/.%2e/secret.txt", 400),
    "dot-dot after a folder": (b"/a/../../secret.txt", 400),
    "escaped dot-dot and slash": (b"/%2e%2e%2fsecret.txt", 400),
    "dot segment": (b"/./a/", 400),
    "backslash": (b"/a\\..\\..\\secret.txt", 400), "escaped backslash": (b"/..%5csecret.txt", 400),
    "invalid UTF-8": (b"/%ff", 400), "overlong UTF-8 dots": (b"/%c0%ae%c0%ae/secret.txt", 400),
    "encoded surrogate": (b"/%ed%a0%80", 400),
    "very long": (b"/" + b"a" * 5000, 414), "very deep": (b"/a" * 3000, 414),
    "not a path": (b"secret.txt", 400), "absolute form": (b"http://x.org/../secret.txt", 400),
    "absolute form, broken host": (b"http://[x/", 400),
    "double slash": (b"//secret.txt", 404), "escaped slash": (b"/%2fsecret.txt", 404),
    "link to a file outside": (b"/leak", 404), "link to a folder outside": (b"/up/secret.txt", 404),
    "long name": (b"/" + b"a" * 300, 404),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hand_made_path_gets_a_4xx_and_nothing_from_outside(server, name):
    port, _ = server
    target, expected = HOSTILE[name]
    for method in (b"GET", b"HEAD"):
        status, body = ask(port, target, method)
        assert status == expected
        assert SECRET not in body


def test_the_server_stays_up_and_says_nothing_about_hostile_requests(server, capsys):
    port, _ = server
    for target, _ in HOSTILE.values():
        ask(port, target)
    assert ask(port, b"/") == (200, b"home")
    assert ask(port, b"/a/?q=%00") == (200, b"page a")
    assert ask(port, b"/a%2Findex.html") == (200, b"page a")
    assert ask(port, b"/nope") == (404, b"page not found")
    assert capsys.readouterr().err == ""


def test_a_large_file_is_sent_whole_after_its_headers_and_a_head_request_gets_none(server):
    """Files go out by `sendfile`, after the headers: every byte, in order, once."""
    port, out = server
    data = bytes(range(256)) * 12_289  # 3 MB holding every byte value
    (out / "big.json").write_bytes(data)
    assert ask(port, b"/big.json") == (200, data)
    assert ask(port, b"/big.json", b"HEAD") == (200, b"")
