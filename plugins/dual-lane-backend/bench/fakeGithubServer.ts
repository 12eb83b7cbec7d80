/*
 * The benchmark's fake GitHub: a node http server on loopback serving a
 * generated organisation, run in a child process so the benchmark's memory
 * figures are the sync's own. Talks to its parent over IPC (messages carry
 * `bench`, as the node transform uses the same channel):
 *   → { bench: 'ready', port }                    once listening
 *   ← { cmd: 'stats' } → { bench: 'stats', requests, statuses }
 *   ← { cmd: 'touch', count, now } → { bench: 'touched' }
 */
import http from 'node:http';
import { FakeGithub } from '../src/services/gates/__testUtils__/fakeGithub';
import { generateOrg, touchOrg } from './syncOrg';

const repos = Number(process.env.BENCH_REPOS);
const prs = Number(process.env.BENCH_PRS_PER_REPO);
const now = Number(process.env.BENCH_NOW);

const statuses = new Map<number, number>();
let requests = 0;
let fake: FakeGithub;

const server = http.createServer((req, res) => {
  requests += 1;
  const response = fake.handle({
    method: req.method ?? 'GET',
    url: `${fake.apiBaseUrl}${req.url}`,
    headers: req.headers as Record<string, string>,
  });
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const body = response.body === undefined ? undefined : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...response.headers,
    ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
  });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  fake = new FakeGithub(`http://127.0.0.1:${port}`);
  fake.keepLog = false;
  generateOrg(fake, { repos, prs, now });
  process.send!({ bench: 'ready', port });
});

process.on('message', (message: any) => {
  if (message.cmd === 'stats') {
    process.send!({ bench: 'stats', requests, statuses: Object.fromEntries(statuses) });
  } else if (message.cmd === 'touch') {
    touchOrg(fake, message.count, message.now);
    process.send!({ bench: 'touched' });
  } else if (message.cmd === 'exit') {
    server.close();
    process.exit(0);
  }
});
