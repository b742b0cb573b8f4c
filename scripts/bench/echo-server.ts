/**
 * The upload benchmark's baseline: a plain node:http server that reads each request body completely and
 * answers a small JSON reply, nothing else. Run as a child process like the central server, and prints the
 * same "listening" line so the bench finds its port.
 */
import http from 'node:http';

const server = http.createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk: Buffer) => (bytes += chunk.length));
  request.on('end', () => {
    const body = JSON.stringify({ ok: true, bytes });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ message: 'listening', url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
