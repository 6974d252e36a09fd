"""A fake Brevo transactional-SMS endpoint on 127.0.0.1 (http.server in a thread): no network.

`FakeSmsServer.fail_next(n)` makes the next n requests answer 500; every request is recorded."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSmsServer:
    def __init__(self):
        self.requests: list[dict] = []
        self._fail = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                with server._lock:
                    failing = server._fail > 0
                    server._fail -= 1 if failing else 0
                    server.requests.append({"body": body, "api_key": self.headers.get("api-key"),
                                            "path": self.path, "failed": failing})
                    n = len(server.requests)
                if failing:
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b'{"code":"internal_error"}')
                    return
                answer = json.dumps({"reference": f"ref-{n}", "messageId": 1000 + n, "smsCount": 1}).encode()
                self.send_response(201)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v3/transactionalSMS/sms"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def fail_next(self, n: int) -> None:
        with self._lock:
            self._fail = n

    @property
    def delivered(self) -> list[dict]:
        return [r for r in self.requests if not r["failed"]]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
