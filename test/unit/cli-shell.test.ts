/**
 * The shell's own parts: splitting words as a POSIX shell does, pflag-style
 * flags, pipelines, redirections and here-documents, the line editor
 * (editing keys, history, completion, Ctrl-C) and the tabwriter.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineEditor, MemoryFiles, Shell, bufferIo, humanDuration, parseLine, runLine, splitWords, type CliEnv } from '../../src/cli/index.ts';
import { parseFlags, UsageError } from '../../src/cli/flags.ts';
import { formatTable } from '../../src/cli/table.ts';

test('words split as a POSIX shell splits them', () => {
  const cases: Array<[string, string[]]> = [
    [`kubectl get pods`, ['kubectl', 'get', 'pods']],
    [`  a   b  `, ['a', 'b']],
    [`echo 'it''s' "a \\"b\\" \\$c" d\\ e`, ['echo', 'its', 'a "b" $c', 'd e']],
    [`kubectl get pods -o jsonpath='{.items[*].metadata.name}'`, ['kubectl', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']],
    [`a|b>c`, ['a', '|', 'b', '>', 'c']],
    [`a '|' b`, ['a', '|', 'b']],
    [`echo hi # comment`, ['echo', 'hi']],
    [`x=""`, ['x=']],
    [`k get cm 2>/dev/null`, ['k', 'get', 'cm', '2>', '/dev/null']],
    [`k logs x 2>&1 | grep y`, ['k', 'logs', 'x', '2>', '&1', '|', 'grep', 'y']],
    [`a && b; c`, ['a', '&&', 'b', ';', 'c']],
  ];
  for (const [line, words] of cases) assert.deepEqual(splitWords(line).words, words, line);
  assert.deepEqual(splitWords(`a '|' |`).plain, [true, false, true]);
  assert.equal(splitWords(`echo 'open`).unterminated, "'");
  assert.equal(splitWords(`kubectl get po`).lastWordStart, 12);
});

test('flags as pflag parses them, with its errors', () => {
  const specs = [
    { name: 'namespace', short: 'n', type: 'string' as const, help: '' },
    { name: 'stdin', short: 'i', type: 'bool' as const, help: '' },
    { name: 'tty', short: 't', type: 'bool' as const, help: '' },
    { name: 'replicas', type: 'int' as const, default: 1, help: '' },
    { name: 'env', short: 'e', type: 'strings' as const, help: '' },
  ];
  const p = parseFlags(['-it', '-nprod', 'web', '--replicas=3', '-e', 'A=1', '--env=B=2', '--', 'sh', '-c', 'x'], specs);
  assert.deepEqual([p.values.stdin, p.values.tty, p.values.namespace, p.values.replicas, p.values.env], [true, true, 'prod', 3, ['A=1', 'B=2']]);
  assert.deepEqual(p.args, ['web', 'sh', '-c', 'x']);
  assert.equal(p.dashAt, 1);
  assert.equal(parseFlags(['-n=x'], specs).values.namespace, 'x');
  const errors: Array<[string[], string]> = [
    [['--nope'], 'unknown flag: --nope'],
    [['-z'], "unknown shorthand flag: 'z' in -z"],
    [['--namespace'], 'flag needs an argument: --namespace'],
    [['-n'], "flag needs an argument: 'n' in -n"],
    [['--replicas=x'], 'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'],
  ];
  for (const [argv, message] of errors) assert.throws(() => parseFlags(argv, specs), (e: Error) => e instanceof UsageError && e.message === message);
  assert.deepEqual(parseFlags(['run', '-it', 'img', 'sh', '-c'], [specs[1]!, specs[2]!], { interspersed: false }).args, ['run', '-it', 'img', 'sh', '-c']);
});

test('tables align as tabwriter does; ages as HumanDuration prints them', () => {
  assert.equal(formatTable([['NAME', 'READY', 'STATUS'], ['web-1', '1/1', 'Running']]), 'NAME    READY   STATUS\nweb-1   1/1     Running\n');
  const ages: Array<[number, string]> = [[45, '45s'], [119, '119s'], [192, '3m12s'], [600, '10m'], [3 * 3600 + 60, '3h1m'], [30 * 3600, '30h'], [52 * 3600, '2d4h'], [9 * 86400, '9d'], [800 * 86400, '2y70d']];
  for (const [s, text] of ages) assert.equal(humanDuration(s * 1000), text, String(s));
});

const files = () => new MemoryFiles({ 'a.txt': 'one\ntwo\nthree\n', 'dir/b.yaml': 'kind: Pod\n' });
const env = (f = files()): CliEnv => ({ cluster: undefined as never, sandbox: () => Promise.reject(new Error('no docker here')), files: f, fetch: () => Promise.reject(new Error('offline')) });

test('pipelines, redirections and here-documents', async () => {
  const f = files();
  const sh = async (line: string, heredoc?: string) => {
    const io = bufferIo();
    const code = await runLine(line, io, env(f), [], heredoc);
    return { code, out: io.stdout, err: io.stderr };
  };
  assert.deepEqual(await sh('cat a.txt | grep t | wc -l'), { code: 0, out: '2\n', err: '' });
  assert.deepEqual(await sh('cat a.txt | grep -v t'), { code: 0, out: 'one\n', err: '' });
  assert.equal((await sh("grep 'one\\|three' a.txt")).out, 'one\nthree\n');
  assert.equal((await sh("grep -E 'one|two' a.txt")).out, 'one\ntwo\n');
  assert.equal((await sh('head -2 a.txt')).out, 'one\ntwo\n');
  assert.equal((await sh('tail -n +2 a.txt')).out, 'two\nthree\n');
  assert.equal((await sh('head -n -1 a.txt')).out, 'one\ntwo\n');
  assert.deepEqual(await sh('echo oops >&2'), { code: 0, out: '', err: 'oops\n' });
  assert.equal((await sh('echo x > later.txt more')).code, 0);
  assert.equal((await sh('cat later.txt')).out, 'x more\n');
  assert.equal((await sh('grep nothing a.txt')).code, 1);
  assert.deepEqual(await sh('head -n 1 a.txt > first.txt'), { code: 0, out: '', err: '' });
  await sh('echo four >> first.txt');
  assert.equal((await sh('cat first.txt')).out, 'one\nfour\n');
  assert.equal((await sh('tail -n1 < a.txt')).out, 'three\n');
  assert.equal((await sh('cat <<EOF | grep b', 'a\nb\n')).out, 'b\n');
  assert.deepEqual(parseLine('kubectl apply -f - <<-END').heredoc, { delimiter: 'END', stripTabs: true });
  assert.equal((await sh('ls dir')).out, 'b.yaml\n');
  assert.deepEqual(await sh('cat nope'), { code: 1, out: '', err: 'cat: nope: No such file or directory\n' });
  assert.deepEqual(await sh('frob | cat'), { code: 0, out: '', err: "podplay: frob: command not found (try 'help')\n" });
  assert.deepEqual(await sh('echo a |'), { code: 2, out: '', err: "podplay: syntax error near unexpected token `newline'\n" });
  assert.deepEqual(await sh(`echo 'open`), { code: 2, out: '', err: "podplay: unexpected end of line: unmatched '\n" });
  assert.deepEqual(await sh('cat nope 2>/dev/null'), { code: 1, out: '', err: '' });
  assert.deepEqual(await sh('cat nope 2>&1 | wc -l'), { code: 0, out: '1\n', err: '' });
  assert.deepEqual(await sh('cat nope 2> errors.txt'), { code: 1, out: '', err: '' });
  assert.equal((await sh('cat errors.txt')).out, 'cat: nope: No such file or directory\n');
  assert.deepEqual(await sh('echo a && echo b'), { code: 2, out: '', err: "podplay: '&&' is not supported here: run one command per line\n" });
});

test('the line editor: editing keys, history, Ctrl-C, completion', () => {
  let screen = '';
  const ed = new LineEditor('$ ', (d) => (screen += d));
  ed.start();
  assert.deepEqual(ed.feed('kubectl gte\x7f\x7fet\r'), [{ type: 'line', line: 'kubectl get' }]);
  ed.remember('kubectl get');
  ed.start();
  assert.deepEqual(ed.feed('pods\x1b[D\x1b[D\x1b[D\x1b[Dx\x01y\x05z\r'), [{ type: 'line', line: 'yxpodsz' }]);
  ed.remember('yxpodsz');
  ed.start();
  assert.deepEqual(ed.feed('\x1b[A\x1b[A\r'), [{ type: 'line', line: 'kubectl get' }]);
  ed.start();
  assert.deepEqual(ed.feed('abc\x03'), [{ type: 'interrupt' }]);
  ed.start();
  assert.deepEqual(ed.feed('one two\x17three\r'), [{ type: 'line', line: 'one three' }]);
  ed.start();
  assert.deepEqual(ed.feed('kubectl get na\t'), [{ type: 'complete', before: 'kubectl get na' }]);
  ed.complete({ candidates: ['namespaces', 'namespace', 'nodes'], start: 12 });
  assert.equal(ed.buffer, 'kubectl get namespace');
  ed.complete({ candidates: ['namespaces'], start: 12 });
  assert.equal(ed.buffer, 'kubectl get namespaces ');
  assert.deepEqual(ed.feed('\x04'), []);
  ed.feed('\x15');
  assert.equal(ed.buffer, '');
  assert.deepEqual(ed.feed('\x04'), [{ type: 'eof' }]);
  assert.match(screen, /\$ kubectl gte/);
});

test('the shell: lines pasted at once run one after another', async () => {
  let screen = '';
  const ran: string[] = [];
  const shell = new Shell({ write: (d) => (screen += d) }, env(), { onCommand: (line) => ran.push(line) });
  shell.input('echo one\recho two\recho three\r');
  while (ran.length < 3) await shell.idle.then(() => new Promise((r) => setTimeout(r, 5)));
  assert.deepEqual(ran, ['echo one', 'echo two', 'echo three']);
  assert.match(screen.replace(/\r/g, ''), /one\n\$ echo two\ntwo\n\$ echo three\nthree\n\$ $/);
  // A command that reads its input gets the lines pasted with it; Ctrl-D ends them.
  shell.input('cat\r\nfirst\r\nsecond\r\n');
  await new Promise((r) => setTimeout(r, 20));
  shell.input('\x04');
  while (ran.length < 4) await shell.idle.then(() => new Promise((r) => setTimeout(r, 5)));
  assert.deepEqual(ran.at(-1), 'cat');
  assert.match(screen.replace(/\r/g, ''), /\$ cat\nfirst\nsecond\nfirst\nsecond\n\$ $/);
});

test('the shell: a here-document typed line by line, Ctrl-C at a continuation, file completion', async () => {
  let screen = '';
  const f = files();
  const ran: Array<[string, number]> = [];
  const shell = new Shell({ write: (d) => (screen += d) }, env(f), { onCommand: (line, code) => ran.push([line, code]) });
  shell.input('cat > notes.txt <<EOF\r');
  shell.input('hello\r');
  shell.input('world\r');
  shell.input('EOF\r');
  await shell.idle;
  assert.deepEqual(ran, [['cat > notes.txt <<EOF', 0]]);
  assert.equal(new TextDecoder().decode(await f.read('notes.txt')), 'hello\nworld\n');
  shell.input(`echo 'unfinished\r`);
  shell.input('\x03');
  shell.input('echo done\r');
  await shell.idle;
  assert.deepEqual(ran.at(-1), ['echo done', 0]);
  assert.match(screen.replace(/\r/g, ''), /\n> \^C\n\$ echo done\ndone\n\$ $/);
  // Ctrl-D inside a here-document runs it, as bash does, with a warning.
  shell.input('cat > cut.txt <<END\r');
  shell.input('partial\r');
  shell.input('\x04');
  await shell.idle;
  assert.equal(new TextDecoder().decode(await f.read('cut.txt')), 'partial\n');
  assert.match(screen, /here-document delimited by end-of-file \(wanted `END'\)/);
  shell.input('cat no\t');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(shell.editor.buffer, 'cat notes.txt ');
});
