/**
 * `kubectl explain`: kubectl's OpenAPI v3 plaintext layout over podplay's
 * field tree. The golden files are real kubectl v1.30+ output, narrowed
 * where podplay serves fewer fields (no `claims` under resources).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { KINDS } from '../../src/api/index.ts';
import { bufferIo } from '../../src/cli/io.ts';
import { explain, explainFields, TYPES, wrap } from '../../src/cli/kubectl/explain/index.ts';
import { KUBECTL } from '../../src/cli/kubectl/style.ts';
import { runProgram, type Command } from '../../src/cli/program.ts';

const root: Command = { name: 'kubectl', short: '', use: 'kubectl', subcommands: [explain] };

async function kubectl(...argv: string[]) {
  const io = bufferIo();
  const code = await runProgram(KUBECTL, root, argv, io, {} as never);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const golden = (name: string) => readFileSync(new URL(`../golden/explain/${name}.txt`, import.meta.url), 'utf8');

const GOLDEN: Array<{ name: string; argv: string[]; stream: 'stdout' | 'stderr'; code: number }> = [
  { name: 'pods', argv: ['explain', 'pods'], stream: 'stdout', code: 0 },
  { name: 'deployment.spec.strategy', argv: ['explain', 'deployment.spec.strategy'], stream: 'stdout', code: 0 },
  { name: 'pod.spec.containers.resources', argv: ['explain', 'pod.spec.containers.resources'], stream: 'stdout', code: 0 },
  { name: 'deployment.spec.strategy.recursive', argv: ['explain', 'deployment.spec.strategy', '--recursive'], stream: 'stdout', code: 0 },
  { name: 'error-resource-type', argv: ['explain', 'foo'], stream: 'stderr', code: 1 },
  { name: 'error-field', argv: ['explain', 'pods.spec.foo'], stream: 'stderr', code: 1 },
];

for (const g of GOLDEN) {
  test(`kubectl ${g.argv.join(' ')} prints what kubectl prints (golden ${g.name}.txt)`, async () => {
    const r = await kubectl(...g.argv);
    assert.equal(r[g.stream], golden(g.name));
    assert.equal(r[g.stream === 'stdout' ? 'stderr' : 'stdout'], '');
    assert.equal(r.code, g.code);
  });
}

test('resource words resolve as kubectl resolves them: short names, singular, kind, a group after the resource', async () => {
  const strategy = golden('deployment.spec.strategy');
  for (const word of ['deploy.spec.strategy', 'deployments.spec.strategy', 'Deployment.spec.strategy', 'deployments.apps.spec.strategy', 'deployment.spec.strategy.']) {
    assert.equal((await kubectl('explain', word)).stdout, strategy, word);
  }
  assert.equal((await kubectl('explain', 'po')).stdout, golden('pods'));
  // Only the plural resource takes its group: `deployment.apps.spec` looks for a field "apps".
  assert.equal((await kubectl('explain', 'deployment.apps.spec')).stderr, 'error: field "spec" does not exist\n');
});

test('a field path prints FIELD with its type, an enum in full, and the type it holds', async () => {
  const containers = await kubectl('explain', 'pod.spec.containers');
  assert.match(containers.stdout, /^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: containers <\[\]Container>\n\n\nDESCRIPTION:\n {4}List of containers belonging to the pod\./);
  assert.match(containers.stdout, /\n {4}A single application container that you want to run within a pod\.\n {4}\nFIELDS:\n {2}args\t<\[\]string>\n/);
  assert.match(containers.stdout, /\n {2}name\t<string> -required-\n/);
  assert.match(containers.stdout, /\n {2}imagePullPolicy\t<string>\n {2}enum: Always, IfNotPresent, Never\n {4}Image pull policy\./);

  const restart = await kubectl('explain', 'pod.spec.restartPolicy');
  assert.match(restart.stdout, /\nFIELD: restartPolicy <string>\nENUM:\n {4}Always\n {4}Never\n {4}OnFailure\n\nDESCRIPTION:\n/);
  assert.doesNotMatch(restart.stdout, /FIELDS:/);
  assert.ok(restart.stdout.endsWith('     - `"OnFailure"`\n    \n\n'));

  const created = await kubectl('explain', 'pods.metadata.creationTimestamp');
  assert.match(created.stdout, /FIELD: creationTimestamp <string>\n/);
  assert.match(created.stdout, /\n {4}Time is a wrapper around time\.Time/);
  const limits = await kubectl('explain', 'pod.spec.containers.resources.limits');
  assert.match(limits.stdout, /FIELD: limits <map\[string\]Quantity>\n[\s\S]*\n {4}Quantity is a fixed-point representation of a number\./);
});

test('more than four enum values are cut in a field list', async () => {
  const status = await kubectl('explain', 'pod.status');
  assert.match(status.stdout, /\n {2}phase\t<string>\n {2}enum: Failed, Pending, Running, Succeeded, \.\.\.\.\n/);
});

test('--recursive nests every field under its parent, two spaces a level, without descriptions', async () => {
  const r = await kubectl('explain', 'pod.spec.affinity', '--recursive');
  assert.match(r.stdout, /\nFIELDS:\n {2}nodeAffinity\t<NodeAffinity>\n {4}preferredDuringSchedulingIgnoredDuringExecution\t<\[\]PreferredSchedulingTerm>\n {6}preference\t<NodeSelectorTerm> -required-\n {8}matchExpressions\t<\[\]NodeSelectorRequirement>\n {10}key\t<string> -required-\n/);
  assert.doesNotMatch(r.stdout.slice(r.stdout.indexOf('FIELDS:')), /Describes node affinity/);
  const pods = await kubectl('explain', 'pods', '--recursive=true');
  assert.match(pods.stdout, /\n {6}livenessProbe\t<Probe>\n {8}exec\t<ExecAction>\n {10}command\t<\[\]string>\n/);
});

test('explain works for every kind podplay serves, in every group, and follows each field', async () => {
  for (const k of KINDS) {
    const r = await kubectl('explain', k.resource);
    assert.equal(r.code, 0, `${k.resource}: ${r.stderr}`);
    assert.ok(r.stdout.startsWith(`${k.group ? `GROUP:      ${k.group}\n` : ''}KIND:       ${k.kind}\nVERSION:    v1\n\nDESCRIPTION:\n`), k.kind);
    for (const field of explainFields(k.resource)) {
      const f = await kubectl('explain', `${k.resource}.${field}`);
      assert.equal(f.code, 0, `${k.resource}.${field}: ${f.stderr}`);
    }
    assert.equal((await kubectl('explain', k.resource, '--recursive')).code, 0);
  }
});

test('every type a field names is in the tree, and every field has a description', () => {
  for (const [name, type] of Object.entries(TYPES)) {
    assert.ok(type.description, name);
    for (const [field, doc] of Object.entries(type.fields ?? {})) {
      const inner = doc.type.replace(/^(\[\]|map\[string\])+/, '');
      assert.ok(['string', 'integer', 'boolean', 'number'].includes(inner) || TYPES[inner], `${name}.${field}: ${doc.type}`);
      assert.ok(doc.description, `${name}.${field}`);
    }
  }
});

test('failures are worded as kubectl words them', async () => {
  const cases: Array<[string[], string]> = [
    [['explain'], 'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n'],
    [['explain', 'pods', 'nodes'], 'error: We accept only this format: explain RESOURCE\n'],
    [['explain', 'pods.foo.bar'], 'error: field "bar" does not exist\n'],
    [['explain', 'pods.metadata.name.x'], 'error: field "x" does not exist\n'],
    [['explain', 'pods', '-o', 'yaml'], 'error: unrecognized format: yaml\n'],
    [['explain', 'pods', '--api-version=apps/v1'], 'error: GVR (apps/v1, Resource=pods) not found in OpenAPI schema\n'],
    [['explain', 'deployments', '--api-version=apps/v2'], 'error: couldn\'t find resource for "apps/v2, Resource=deployments"\n'],
    [['explain', 'pods', '--api-version=a/b/c'], 'error: unexpected GroupVersion string: a/b/c\n'],
    [['explain', 'pods', '--recursive=maybe'], 'error: invalid argument "maybe" for "--recursive" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'kubectl explain --help\' for usage.\n'],
  ];
  for (const [argv, stderr] of cases) {
    const r = await kubectl(...argv);
    assert.equal(r.stderr, stderr, argv.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.code, 1);
  }
  const ok = await kubectl('explain', 'deployments', '--api-version=apps/v1');
  assert.ok(ok.stdout.startsWith('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nDESCRIPTION:\n'));
  assert.equal((await kubectl('explain', 'pods', '--api-version', 'v1')).stdout, golden('pods'));
});

test('-o plaintext-openapiv2 prints the older layout kubectl printed from OpenAPI v2', async () => {
  const r = await kubectl('explain', 'pods.spec.containers', '-o', 'plaintext-openapiv2');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    r.stdout.startsWith(
      'KIND:     Pod\nVERSION:  v1\n\nRESOURCE: containers <[]Object>\n\nDESCRIPTION:\n     List of containers belonging to the pod. Containers cannot currently be\n     added or removed. There must be at least one container in a Pod. Cannot be\n     updated.\n\n     A single application container that you want to run within a pod.\n\nFIELDS:\n   args\t<[]string>\n',
    ),
  );
  const strategy = await kubectl('explain', 'deploy.spec.strategy', '--output=plaintext-openapiv2', '--recursive');
  assert.equal(strategy.stdout, 'KIND:     Deployment\nVERSION:  apps/v1\n\nRESOURCE: strategy <Object>\n\nDESCRIPTION:\n     The deployment strategy to use to replace existing pods with new ones.\n\n     DeploymentStrategy describes how to replace existing pods with new ones.\n\nFIELDS:\n   rollingUpdate\t<Object>\n      maxSurge\t<string>\n      maxUnavailable\t<string>\n   type\t<string>\n');
  const name = await kubectl('explain', 'pods.metadata.name', '-o', 'plaintext-openapiv2');
  assert.match(name.stdout, /\nFIELD: {4}name <string>\n\nDESCRIPTION:\n {5}Name must be unique within a namespace\./);
  assert.equal((await kubectl('explain', 'pods.spec.nope', '-o', 'plaintext-openapiv2')).stderr, 'error: field "nope" does not exist\n');
});

test('explainFields lists the child fields of a dotted path, for completion', () => {
  assert.deepEqual(explainFields('pod'), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.deepEqual(explainFields('deployments.apps.spec.strategy'), ['rollingUpdate', 'type']);
  assert.ok(explainFields('po.spec').includes('containers'));
  assert.ok(explainFields('pod.spec.containers').includes('imagePullPolicy'));
  assert.deepEqual(explainFields('pod.spec.restartPolicy'), []);
  assert.deepEqual(explainFields('pod.nope'), []);
  assert.deepEqual(explainFields('nope'), []);
});

test('descriptions wrap as go-wordwrap wraps them: at spaces, long words whole, line breaks kept', () => {
  assert.equal(wrap('aaa bbb ccc', 7), 'aaa bbb\nccc');
  assert.equal(wrap('More info: https://example.com/a/very/long/path', 12), 'More info:\nhttps://example.com/a/very/long/path');
  assert.equal(wrap('one.\n\nPossible enum values:\n - `"A"` x', 76), 'one.\n\nPossible enum values:\n - `"A"` x');
  assert.equal(wrap('ends with a newline\n', 76), 'ends with a newline\n');
});

test('explain --help shows kubectl\'s usage line', async () => {
  const r = await kubectl('explain', '--help');
  assert.match(r.stdout, /\nUsage:\n {2}kubectl explain TYPE \[--recursive=FALSE\|TRUE\] \[--api-version=api-version-group\] \[-o\|--output=plaintext\|plaintext-openapiv2\]\n/);
  assert.match(r.stdout, /    --recursive=false:\n\tPrint the fields of fields \(Currently only 1 level deep\)/);
});
