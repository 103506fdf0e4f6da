import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogBuffer } from '../../src/runtime/logs.ts';

const enc = (s: string) => new TextEncoder().encode(s);

test('lines are split across chunks, per stream, with the time their newline arrived', () => {
  const logs = new LogBuffer();
  logs.push('stdout', enc('hel'), 1);
  logs.push('stderr', enc('oops\n'), 2);
  logs.push('stdout', enc('lo\nwor'), 3);
  logs.push('stdout', enc('ld'), 4);
  logs.end(5);
  assert.deepEqual(logs.lines(), [
    { stream: 'stderr', time: 2, text: 'oops' },
    { stream: 'stdout', time: 3, text: 'hello' },
    { stream: 'stdout', time: 5, text: 'world', partial: true },
  ]);
  assert.deepEqual(logs.lines({ tail: 1 }).map((l) => l.text), ['world']);
  assert.deepEqual(logs.lines({ since: 3 }).map((l) => l.text), ['hello', 'world']);
  assert.deepEqual(logs.lines({ tail: 0 }), []);
});

test('a multi-byte character split between chunks comes out whole', () => {
  const logs = new LogBuffer();
  const bytes = enc('héllo ✓\n');
  logs.push('stdout', bytes.subarray(0, 2));
  logs.push('stdout', bytes.subarray(2, 9));
  logs.push('stdout', bytes.subarray(9));
  assert.equal(logs.lines()[0]!.text, 'héllo ✓');
});

test('a 50 MB flood stays within the bound, keeping the newest lines; a line with no end is cut', () => {
  const logs = new LogBuffer({ maxBytes: 256 * 1024 });
  const chunk = enc(Array.from({ length: 1000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n') + '\n');
  let written = 0;
  for (let n = 0; written < 50e6; n++) {
    logs.push('stdout', chunk, n);
    written += chunk.byteLength;
  }
  assert.ok(logs.bytes <= 256 * 1024, `${logs.bytes} bytes held`);
  assert.ok(logs.dropped > 900_000, `${logs.dropped} lines dropped`);
  assert.equal(logs.lines().at(-1)!.text, `line 999 ${'x'.repeat(40)}`);
  const endless = new LogBuffer({ maxBytes: 64 * 1024, maxLineBytes: 1000 });
  for (let i = 0; i < 10_000; i++) endless.push('stdout', enc('y'.repeat(1000)));
  assert.ok(endless.bytes <= 64 * 1024);
  assert.ok(endless.lines().every((l) => l.partial && l.text.length === 1000));
});

test('followers get each line as it completes, until they unsubscribe', () => {
  const logs = new LogBuffer();
  const seen: string[] = [];
  const stop = logs.follow((l) => seen.push(l.text));
  logs.push('stdout', enc('a\nb'));
  logs.push('stdout', enc('\n'));
  stop();
  logs.push('stdout', enc('c\n'));
  assert.deepEqual(seen, ['a', 'b']);
});
