// tesseract.js Node worker with the network cut off: fetch, http(s) and raw sockets throw inside the worker
// thread before tesseract's own worker script loads (it captures `fetch` at load time). Used by the offline test.
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';

const refuse = (what) => () => {
  throw new Error(`OFFLINE_GUARD: ${what} attempted`);
};
globalThis.fetch = async () => refuse('fetch')();
http.request = refuse('http.request');
http.get = refuse('http.get');
https.request = refuse('https.request');
https.get = refuse('https.get');
net.connect = refuse('net.connect');
net.createConnection = refuse('net.createConnection');
net.Socket.prototype.connect = refuse('socket.connect');

const require = createRequire(import.meta.url);
require('tesseract.js/src/worker-script/node/index.js');
