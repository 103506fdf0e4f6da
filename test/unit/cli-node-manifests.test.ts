/**
 * The `cluster` attribute's file: Node manifests become node configs, and a
 * file the API would refuse is refused whole, naming the document and what
 * is wrong in the API's words, before any worker starts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeConfigsFromYaml } from '../../src/cli/index.ts';

const node = (body: string) => `apiVersion: v1\nkind: Node\n${body}`;

test('Node manifests become node configs: name, labels, taints, capacity', () => {
  const yaml = `${node('metadata: { name: big, labels: { disktype: ssd } }\nspec: { taints: [ { key: gpu, value: "yes", effect: NoSchedule } ] }\nstatus: { capacity: { cpu: 4, memory: 8Gi, pods: "50" } }\n')}---\n${node('metadata: { name: small }\n')}`;
  assert.deepEqual(nodeConfigsFromYaml(yaml, 'nodes.yaml'), [
    { name: 'big', labels: { disktype: 'ssd' }, taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }], capacity: { cpu: '4', memory: '8Gi', pods: '50' } },
    { name: 'small', labels: undefined, taints: undefined, capacity: undefined },
  ]);
});

test('a file the API would refuse is refused whole, with the document and the reason', () => {
  const cases: Array<[string, string | RegExp]> = [
    [node('metadata: { name: a, labels: { rack: 1 } }\n'), /^n\.yaml: document 1: .*cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type string/],
    [node('metadata: { name: a }\nspec: { taints: [ { key: x, effect: Sometimes } ] }\n'), 'n.yaml: document 1: The Node "a" is invalid: spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    [node('metadata: { name: a }\nspec: { taints: x }\n'), /spec\.taints: Invalid value: "x": must be a list of taints/],
    [node('metadata: { name: A_b }\n'), /^n\.yaml: document 1: The Node "A_b" is invalid: metadata\.name: Invalid value: "A_b"/],
    [node('metadata: { name: a }\nstatus: { capacity: { cpu: lots } }\n'), 'n.yaml: document 1: status.capacity.cpu "lots" is not a quantity above zero (as "2", "500m", "4Gi")'],
    [node('metadata: { name: a }\n---\n') + node('metadata: { name: a }\n'), 'n.yaml: document 2: Error from server (AlreadyExists): nodes "a" already exists'],
    ['apiVersion: v1\nkind: Pod\nmetadata: { name: a }\n', 'n.yaml: document 1 is a Pod; this file may only hold Node manifests (kind: Node)'],
    [node('metadata: { labels: { a: b } }\n'), 'n.yaml: document 1: metadata.name is missing'],
    ['# nothing\n', 'n.yaml holds no Node manifests'],
    [Array.from({ length: 11 }, (_, i) => node(`metadata: { name: n${i} }\n`)).join('---\n'), 'n.yaml has 11 nodes; a sandbox runs at most 10 (each is a worker of this page)'],
  ];
  for (const [yaml, message] of cases) assert.throws(() => nodeConfigsFromYaml(yaml, 'n.yaml'), { message }, yaml);
});
