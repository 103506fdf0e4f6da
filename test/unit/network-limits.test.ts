/**
 * The network's bounds, driven directly (no guest): a pod past its socket
 * limit gets EMFILE; an HTTP stream whose reader stops reading is ended once
 * STREAM_BUFFER_CAP bytes wait for it; a token of a deleted ServiceAccount
 * is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterAuth, serviceAccountUser } from '../../src/api/auth/index.ts';
import { createApiStore } from '../../src/api/index.ts';
import { ClusterNetwork, createClusterCertificates, httpService, STREAM_BUFFER_CAP } from '../../src/net/index.ts';
import { ManualClock } from '../../src/shared/index.ts';
import { GuestNetwork, NET_MESSAGE, SOCKETS_PER_POD, ERRNO } from '../../src/wasi/guest-network.ts';

test(`a pod has ${SOCKETS_PER_POD} sockets at most: the next socket() is EMFILE, and one comes free when one closes`, () => {
  const net = new GuestNetwork(`limits-${Math.random()}`);
  try {
    net.attach('1', { id: 'pod', ips: ['10.244.1.2'], connect: async () => ({ errno: ERRNO.CONNREFUSED }) });
    const control = new SharedArrayBuffer(16 + 4096);
    const slots = new Int32Array(control, 0, 4);
    const answer = () => JSON.parse(new TextDecoder().decode(new Uint8Array(control, 16, Atomics.load(slots, 2)).slice())) as { errno?: number };
    net.receive({ type: NET_MESSAGE, instance: 'i', op: 'hello', run: '1', control });
    const open = (sock: number) => {
      net.receive({ type: NET_MESSAGE, instance: 'i', op: 'open', sock, kind: 'stream', sab: new SharedArrayBuffer(64 + 2 * 1024) });
      return answer();
    };
    for (let i = 0; i < SOCKETS_PER_POD; i++) assert.deepEqual(open(i), {});
    assert.deepEqual(open(SOCKETS_PER_POD), { errno: ERRNO.MFILE });
    net.receive({ type: NET_MESSAGE, instance: 'i', op: 'close', sock: 0 });
    assert.deepEqual(open(SOCKETS_PER_POD + 1), {});
  } finally {
    net.close();
  }
});

test('an HTTP stream whose reader stops reading is ended once its buffer cap is reached', async () => {
  const network = new ClusterNetwork();
  let written = 0;
  let ended = false;
  const chunk = 'x'.repeat(64 * 1024);
  network.addRouter((kind, remote) =>
    remote.ip === '10.0.0.1'
      ? {
          to: 'host',
          service: httpService(async () => ({
            status: 200,
            stream: (sink) => {
              // As a watch does: a write the server refuses ends the stream.
              const stop = () => {
                ended = true;
                clearInterval(timer);
              };
              const timer = setInterval(() => {
                for (let i = 0; i < 16; i++) {
                  written += chunk.length;
                  if (!sink.write(chunk)) {
                    stop();
                    return sink.end();
                  }
                }
              }, 1);
              return stop;
            },
          })),
        }
      : undefined,
  );
  let received = 0;
  let closed = false;
  const conn = await network.dial('stream', { ip: '10.0.0.1', port: 6443 }, { ip: '10.0.0.2', port: 40000 }, {
    data: (b) => (received += b.length),
    end: () => (closed = true),
    close: () => (closed = true),
    pause: () => undefined,
    resume: () => undefined,
  });
  assert.ok('peer' in conn);
  conn.peer.send(new TextEncoder().encode('GET /watch HTTP/1.1\r\nHost: x\r\n\r\n'));
  // The reader takes a little, then says it cannot take more.
  await new Promise((r) => setTimeout(r, 20));
  conn.peer.pause();
  const start = Date.now();
  while (!closed && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 10));
  assert.ok(closed, 'the server ended the stream');
  assert.ok(ended, 'the stream was told to stop');
  assert.ok(written - received <= STREAM_BUFFER_CAP + 16 * chunk.length, `held ${written - received} bytes`);
});

test("a token of a deleted ServiceAccount, or of a deleted pod, is refused", async () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 7));
  const api = createApiStore({ clock });
  const certs = await createClusterCertificates({ serviceIP: '10.96.0.1', dnsNames: ['kubernetes'] });
  const auth = await ClusterAuth.create(certs);
  api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default' } });
  const pod = api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'x' }] } });
  const token = (await auth.tokenFor(api, clock, pod))!;
  assert.deepEqual(await auth.authenticate(api, clock, `Bearer ${token}`), serviceAccountUser('default', 'robot'));
  assert.equal(await auth.authenticate(api, clock, `Bearer ${token.slice(0, -4)}AAAA`), undefined);
  api.delete('ServiceAccount', 'default', 'robot');
  api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default' } });
  // Same name, another uid: the old token is not its.
  assert.equal(await auth.authenticate(api, clock, `Bearer ${token}`), undefined);
  const pod2 = api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2', namespace: 'default' }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'x' }] } });
  const token2 = (await auth.tokenFor(api, clock, pod2))!;
  assert.ok(await auth.authenticate(api, clock, `Bearer ${token2}`));
  api.delete('Pod', 'default', 'p2', { gracePeriodSeconds: 0 });
  assert.equal(await auth.authenticate(api, clock, `Bearer ${token2}`), undefined);
});
