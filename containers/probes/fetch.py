"""GET http://127.0.0.1:<argv[1]><argv[2]> from inside the container, with the
headers given as further `Name: value` arguments; prints status, headers (names
lower-cased) and body as JSON. From loopback: a peer gunicorn trusts."""

import http.client
import json
import sys

connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
headers = dict(argument.split(": ", 1) for argument in sys.argv[3:])
connection.request("GET", sys.argv[2], headers=headers)
reply = connection.getresponse()
print(
    json.dumps(
        {
            "status": reply.status,
            "headers": {k.lower(): v for k, v in reply.getheaders()},
            "body": reply.read().decode(),
        }
    )
)
