#!/usr/bin/env node
// A tiny HTTP server that stalls on a fixed schedule, for the coordinated
// omission test: from its first request on, every `period` ms it holds all
// responses for `pause` ms (starting `offset` ms into the period), then
// answers them at once, as a server stuck in a GC pause or a failover would.
//
//   node bench/stall-server.mjs <port> <pauseMs> <periodMs> <offsetMs>
//
// Prints "listening <port>" when ready and "held <n> of <total>" on SIGTERM.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [port = '0', pause = '1000', period = '4000', offset = '1500'] =
  process.argv.slice(2);
const P = Number(pause);
const T = Number(period);
const O = Number(offset);
let t0;
let held = 0;
let total = 0;

/** When the response to a request arriving now may go out (now if not paused). */
function releaseAt(now) {
  const inCycle = (now - t0 - O) % T;
  if (now - t0 < O || inCycle >= P) return now;
  return now + (P - inCycle);
}

const server = http.createServer((req, res) => {
  const now = performance.now();
  total++;
  if (t0 === undefined) t0 = now;
  const at = releaseAt(now);
  req.resume();
  const send = () => res.end('ok\n');
  if (at > now) {
    held++;
    setTimeout(send, at - now);
  } else send();
});
server.keepAliveTimeout = 120_000;
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
// On SIGTERM, report how many requests a pause actually held back.
process.on('SIGTERM', () => {
  process.stdout.write(`held ${held} of ${total}\n`, () => process.exit(0));
});
