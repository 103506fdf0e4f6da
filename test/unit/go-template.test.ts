/**
 * Go's text/template as docker and kubectl use it (src/cli/go-template.ts):
 * each case's expected output is what Go 1.26's text/template prints for the
 * same template over the same JSON data (encoding/json into
 * map[string]any), and errors in its words.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TemplateError, parseTemplate } from '../../src/cli/go-template.ts';

const data = {
  State: { Status: 'running', ExitCode: 0, Running: true },
  NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' }, kind: { IPAddress: '10.0.0.3' } } },
  Config: { Env: ['A=1', 'B=2'], Labels: { b: '2', a: '1' }, Cmd: null },
  items: [{ metadata: { name: 'x' } }, { metadata: { name: 'y' } }],
};

const CASES: Array<[string, string]> = [
  ['{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}', 'running 0 true'],
  ['{{len .Config.Env}} {{len .Config.Labels}} {{len "héllo"}}', '2 2 6'],
  ['{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', '172.17.0.2 10.0.0.3 '],
  ['{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}};{{end}}', 'bridge=172.17.0.2;kind=10.0.0.3;'],
  ['{{range $i, $e := .items}}{{$i}}:{{$e.metadata.name}} {{end}}', '0:x 1:y '],
  ['{{range .Config.Cmd}}x{{else}}none{{end}}', 'none'],
  ['{{if eq .State.Status "exited" "running"}}up{{else}}down{{end}}', 'up'],
  ['{{if not .State.Running}}a{{else if .State.ExitCode}}b{{else}}c{{end}}', 'c'],
  ['{{index .Config.Labels "a"}} {{index .items 1 | printf "%v"}}', '1 map[metadata:map[name:y]]'],
  ['{{.Config.Labels}} {{.Config.Env}} {{.Config.Cmd}} {{.Missing}}', 'map[a:1 b:2] [A=1 B=2] <nil> <no value>'],
  ['{{- range .Config.Env }}\n  {{ . }}\n{{- end }}', '\n  A=1\n  B=2'],
  ['{{printf "%-8s|%3d|%q" .State.Status 7 "x"}}', 'running |  7|"x"'],
  ['{{with .State}}{{.Status}}{{end}}{{with .Missing}}no{{else}}-{{end}}', 'running-'],
  ['{{$x := .State.Status}}{{if true}}{{$x = "changed"}}{{end}}{{$x}}', 'changed'],
  ['{{/* a comment */}}{{ .State.Status | printf "%s!" }}', 'running!'],
  ['{{and .State.Running .State.ExitCode}} {{or .Missing "default"}}', '0 default'],
  ['{{(index .items 0).metadata.name}}', 'x'],
  ['{{if gt (len .items) 1}}many{{end}} {{lt 1 2}} {{ge "b" "a"}}', 'many true true'],
  ['{{print 1 2 "a" 3}}|{{println "x" 1}}', '1 2a3|x 1\n'],
  ['{{range 3}}{{.}}{{end}}', '012'],
];

test('templates print what Go prints', () => {
  for (const [template, expected] of CASES) assert.equal(parseTemplate(template)(data), expected, template);
});

test('functions a caller adds, and through a pipe', () => {
  const render = parseTemplate('{{.State.Status | upper}} {{join .Config.Env ","}}', {
    upper: (s) => String(s).toUpperCase(),
    join: (l, sep) => (l as string[]).join(String(sep)),
  });
  assert.equal(render(data), 'RUNNING A=1,B=2');
});

test('errors in Go\'s words: a template that does not parse, one that fails as it runs', () => {
  const parseError = (t: string) => {
    try {
      parseTemplate(t, {}, 'output');
    } catch (err) {
      assert.ok(err instanceof TemplateError && err.phase === 'parse', t);
      return err.message;
    }
    assert.fail(`${t} parsed`);
  };
  assert.equal(parseError('{{nope .X}}'), 'template: output:1: function "nope" not defined');
  assert.equal(parseError('{{if .X}}'), 'template: output:1: unexpected EOF');
  assert.equal(parseError('{{.X'), 'template: output:1: unclosed action');
  assert.equal(parseError('a\n{{end}}'), 'template: output:2: unexpected {{end}}');
  assert.throws(() => parseTemplate('{{range .State.Status}}x{{end}}')(data), (err: unknown) => err instanceof TemplateError && err.phase === 'exec' && /range can't iterate over running/.test(err.message));
  assert.throws(() => parseTemplate('{{index .items 5}}')(data), /index out of range: 5/);
});
