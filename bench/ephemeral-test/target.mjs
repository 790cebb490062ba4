// The load target of bench/ephemeral-test, in its own process: a minimal model server on 127.0.0.1
// (GET /health with a JSON body, POST /predict that parses its JSON body and answers JSON, as
// test/fixtures/model-server does). It reports the moment it starts listening, on the wall clock
// in milliseconds with a fraction, as one JSON line on stdout: {"port":..,"listeningAt":..}.
//   PORT (0: any free port)   LISTEN_DELAY_MS: nothing listens until then
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 0);
const now = () => performance.timeOrigin + performance.now();

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
    if (req.method === 'POST' && req.url === '/predict') {
      let rows;
      try {
        rows = JSON.parse(body).inputs;
      } catch {
        return send(res, 400, { error: 'body must be JSON with "inputs"' });
      }
      return send(res, 200, { predictions: rows.map((r) => (r[0] > 5 ? 1 : 0)) });
    }
    send(res, 404, { error: 'no route' });
  });
});
// Keep-alive sockets of a finished load run must not linger into the next tool's run.
server.keepAliveTimeout = 5000;

setTimeout(
  () =>
    server.listen(port, '127.0.0.1', () => {
      const at = now();
      console.log(JSON.stringify({ port: server.address().port, listeningAt: at }));
    }),
  Number(process.env.LISTEN_DELAY_MS ?? 0),
);
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
