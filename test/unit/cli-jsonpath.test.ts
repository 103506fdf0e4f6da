/**
 * kubectl's -o jsonpath and -o custom-columns. Expected outputs are
 * client-go's util/jsonpath tests (jsonpath_test.go, parser_test.go),
 * kubectl's customcolumn_test.go and the kubernetes.io examples. Where the
 * upstream input was a Go struct, the input here is the decoded JSON map
 * kubectl actually walks, so JSON output has its keys sorted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customColumnRows, parseCustomColumns, parseCustomColumnsFile, relaxedJsonPathExpression } from '../../src/cli/custom-columns.ts';
import { executeJsonPath, JsonPathError, parseJsonPath } from '../../src/cli/jsonpath.ts';
import { formatTable } from '../../src/cli/table.ts';

type Case = [name: string, template: string, input: unknown, expect: string];

function run(cases: Case[], allowMissingKeys = false) {
  for (const [name, template, input, expect] of cases) {
    assert.equal(executeJsonPath(template, input, { allowMissingKeys }), expect, `${name}: ${template}`);
  }
}

function fails(cases: [name: string, template: string, input: unknown, message: string, phase: 'parse' | 'execute'][], allowMissingKeys = false) {
  for (const [name, template, input, message, phase] of cases) {
    assert.throws(() => executeJsonPath(template, input, { allowMissingKeys }), (err: unknown) => {
      assert.ok(err instanceof JsonPathError, name);
      assert.equal(err.message, message, `${name}: ${template}`);
      assert.equal(err.phase, phase, name);
      return true;
    });
  }
}

// client-go TestKubernetes; kubernetes.io "JSONPath Support" uses the same input.
const nodes = {
  kind: 'List',
  items: [
    { kind: 'None', metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } }, status: { capacity: { cpu: '4' }, ready: true, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }] } },
    { kind: 'None', metadata: { name: '127.0.0.2', labels: { 'kubernetes.io/hostname': '127.0.0.2' } }, status: { capacity: { cpu: '8' }, ready: false, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.2' }, { type: 'another', address: '127.0.0.3' }] } },
  ],
  users: [{ name: 'myself', user: {} }, { name: 'e2e', user: { username: 'admin', password: 'secret' } }],
};

test('the kubernetes.io JSONPath table and client-go TestKubernetes', () => {
  run([
    ['text', 'kind is {.kind}', nodes, 'kind is List'],
    ['child', '{.kind}', nodes, 'List'],
    ['bracket child', "{['kind']}", nodes, 'List'],
    ['root $', '{$.kind}', nodes, 'List'],
    ['recursive descent', '{..name}', nodes, '127.0.0.1 127.0.0.2 myself e2e'],
    // the page shows `[127.0.0.1 127.0.0.2]` and `map[cpu:4]` (old releases); today's kubectl prints these:
    ['wildcard', '{.items[*].metadata.name}', nodes, '127.0.0.1 127.0.0.2'],
    ['subscript', '{.users[0].name}', nodes, 'myself'],
    ['union', "{.items[*]['metadata.name', 'status.capacity']}", nodes, '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'],
    ['filter', '{.users[?(@.name=="e2e")].user.password}', nodes, 'secret'],
    ['range', '{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}', nodes, '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '],
    ['single-quoted tab', "{range .items[*]}{.metadata.name}{'\\t'}{end}", nodes, '127.0.0.1\t127.0.0.2\t'],
    ['range item', '{range .items[*]}{.metadata.name}, {end}{.kind}', nodes, '127.0.0.1, 127.0.0.2, List'],
    ['range with quote', '{range .items[*]}{.metadata.name}{"\\t"}{end}', nodes, '127.0.0.1\t127.0.0.2\t'],
    ['range addresses', '{.items[*].status.addresses[*].address}', nodes, '127.0.0.1 127.0.0.2 127.0.0.3'],
    ['double range', '{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}', nodes, '127.0.0.1, 127.0.0.2, 127.0.0.3, '],
    ['escaped dot', '{.items[0].metadata.labels.kubernetes\\.io/hostname}', nodes, '127.0.0.1'],
    ['filter on escaped key', '{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', nodes, 'None'],
    ['bool filter', '{.items[?(@..ready==true)].metadata.name}', nodes, '127.0.0.1'],
    ['sequencing with newlines', '{.items[0].metadata.name}{"\\n"}{.items[1].metadata.name}{"\\n"}', nodes, '127.0.0.1\n127.0.0.2\n'],
    ['current object', '{.users[0].name}{" "}{@.kind}', nodes, 'myself List'],
  ]);
});

test('@ prints the whole input as compact JSON with sorted keys, as json.Marshal does', () => {
  run([
    ['@', '{@}', { b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    ['html escaped', '{.a}', { a: { s: '<b>&</b>' } }, '{"s":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e"}'],
    ['strings stay raw', '{.s}', { s: '<b> & "q"' }, '<b> & "q"'],
  ]);
});

test('a template without braces is plain text: kubectl passes -o jsonpath= through untouched', () => {
  run([
    ['plain', 'hello jsonpath', null, 'hello jsonpath'],
    ['bare path', '.metadata.name', { metadata: { name: 'web' } }, '.metadata.name'],
    ['quoted brace', '{"{"}', null, '{'],
  ]);
});

const types = {
  bools: [true, false, true, false],
  integers: [1, 2, 3, 4],
  floats: [1.0, 2.2, 3.3, 4.0],
  strings: ['one', 'two', 'three', 'four'],
  interfaces: [true, 'one', 1, 1.1],
  maps: [{ name: 'one', value: 1 }, { name: 'two', value: 2.02 }, { name: 'three', value: 3.03 }, { name: 'four', value: 4.04 }],
};

test('client-go TestTypesInput: indexes, negative indexes, slices and steps over every type', () => {
  run([
    ['boolSlice', '{ .bools }', types, '[true,false,true,false]'],
    ['boolSliceIndex', '{ .bools[0] }', types, 'true'],
    ['boolSliceIndexLast', '{ .bools[-1] }', types, 'false'],
    ['boolSubSlice', '{ .bools[0:2] }', types, 'true false'],
    ['boolSubSliceFirst2', '{ .bools[:2] }', types, 'true false'],
    ['boolSubSliceStep2', '{ .bools[:4:2] }', types, 'true true'],
    ['integerSlice', '{ .integers }', types, '[1,2,3,4]'],
    ['integerSliceIndexReverse', '{ .integers[-2] }', types, '3'],
    ['integerSubSliceStep2', '{ .integers[:4:2] }', types, '1 3'],
    ['floatSlice', '{ .floats }', types, '[1,2.2,3.3,4]'],
    ['floatSliceIndex', '{ .floats[0] }', types, '1'],
    ['floatSliceIndexReverse', '{ .floats[-2] }', types, '3.3'],
    ['floatSubSliceFirst2', '{ .floats[0:2] }', types, '1 2.2'],
    ['floatSubSliceStep2', '{ .floats[:4:2] }', types, '1 3.3'],
    ['stringSlice', '{ .strings }', types, '["one","two","three","four"]'],
    ['stringSliceIndexReverse', '{ .strings[-2] }', types, 'three'],
    ['stringSubSliceStep2', '{ .strings[:4:2] }', types, 'one three'],
    ['interfaceSlice', '{ .interfaces }', types, '[true,"one",1,1.1]'],
    ['interfaceSubSliceFirst2', '{ .interfaces[0:2] }', types, 'true one'],
    ['interfaceSubSliceStep2', '{ .interfaces[:4:2] }', types, 'true 1'],
    ['mapSliceIndex', '{ .maps[0] }', types, '{"name":"one","value":1}'],
    ['mapSubSliceStepOdd', '{ .maps[::2] }', types, '{"name":"one","value":1} {"name":"three","value":3.03}'],
    ['mapSubSliceStepEven', '{ .maps[1::2] }', types, '{"name":"two","value":2.02} {"name":"four","value":4.04}'],
  ]);
});

test('numbers print as Go prints int64 and float64; null as <nil>', () => {
  run([
    ['int', '{.n}', { n: 1000000 }, '1000000'],
    ['float', '{.n}', { n: 0.5 }, '0.5'],
    ['big float uses %g exponent', '{.n}', { n: 1234567.5 }, '1.2345675e+06'],
    ['small float', '{.n}', { n: 0.00001 }, '1e-05'],
    ['float literal', '{1000000.0}', {}, '1e+06'],
    ['int literal', '{42}', {}, '42'],
    ['bool', '{.b}', { b: false }, 'false'],
    ['null', '{.x}', { x: null }, '<nil>'],
  ]);
});

// client-go TestStructInput, with the store as the JSON kubectl would decode.
const store = {
  Name: 'jsonpath',
  Book: [
    { Category: 'reference', Author: 'Nigel Rees', Title: 'Sayings of the Centurey', Price: 8.95 },
    { Category: 'fiction', Author: 'Evelyn Waugh', Title: 'Sword of Honour', Price: 12.99 },
    { Category: 'fiction', Author: 'Herman Melville', Title: 'Moby Dick', Price: 8.99 },
  ],
  Bicycle: [{ Color: 'red', Price: 19.95, IsNew: true }, { Color: 'green', Price: 20.01, IsNew: false }],
  Labels: { engieer: 10, 'web/html': 15, 'k8s-app': 20 },
  Employees: { jason: 'manager', dan: 'clerk' },
};

test('client-go TestStructInput: recursion, wildcards, filters, unions', () => {
  run([
    ['recursive', '{..}', [1, 2, 3], '[1,2,3]'],
    ['filter', '{[?(@<5)]}', [2, 6, 3, 7], '2 3'],
    ['union', '{[1,3,4]}', [0, 1, 2, 3, 4], '1 3 4'],
    ['array', '{[0:2]}', ['Monday', 'Tudesday'], 'Monday Tudesday'],
    ['variable', 'hello {.Name}', store, 'hello jsonpath'],
    ['dict/', '{$.Labels.web/html}', store, '15'],
    ['dict/ employees', '{$.Employees.jason}', store, 'manager'],
    ['dict-', '{.Labels.k8s-app}', store, '20'],
    ['nest', '{.Bicycle[*].Color}', store, 'red green'],
    ['allarray', '{.Book[*].Author}', store, 'Nigel Rees Evelyn Waugh Herman Melville'],
    ['allfields', '{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}', store, '{red 19.95 true} {green 20.01 false} '],
    ['recurfields', '{..Price}', store, '8.95 12.99 8.99 19.95 20.01'],
    ['recurdotfields', '{...Price}', store, '8.95 12.99 8.99 19.95 20.01'],
    ['allstructsSlice', '{.Bicycle}', store, '[{"Color":"red","IsNew":true,"Price":19.95},{"Color":"green","IsNew":false,"Price":20.01}]'],
    ['allstructs', '{range .Bicycle[*]}{ @ }{ " " }{end}', store, '{"Color":"red","IsNew":true,"Price":19.95} {"Color":"green","IsNew":false,"Price":20.01} '],
    ['lastarray', '{.Book[-1:]}', store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'],
    ['recurarray', '{..Book[2]}', store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}'],
    ['bool', '{.Bicycle[?(@.IsNew==true)]}', store, '{"Color":"red","IsNew":true,"Price":19.95}'],
    ['comparisons', '{.Book[?(@.Price<10.0)].Title}|{.Book[?(@.Price>=12.99)].Title}|{.Book[?(@.Category!="fiction")].Author}', store, 'Sayings of the Centurey Moby Dick|Sword of Honour|Nigel Rees'],
    ['string order', '{.Book[?(@.Author<="Evelyn Waugh")].Author}', store, 'Evelyn Waugh'],
  ]);
  run([
    ['nonexistent field', '{.hello}', store, ''],
    ['nonexistent field 2', 'before-{.hello}after', store, 'before-after'],
  ], true);
});

test('client-go TestJSONInput: existence filters and bracket keys', () => {
  const points = [
    { id: 'i1', x: 4, y: -5 }, { id: 'i2', x: -2, y: -5, z: 1 }, { id: 'i3', x: 8, y: 3 },
    { id: 'i4', x: -6, y: -1 }, { id: 'i5', x: 0, y: 2, z: 1 }, { id: 'i6', x: 1, y: 4 },
  ];
  run([
    ['exists filter', '{[?(@.z)].id}', points, 'i2 i5'],
    ['bracket key', "{[0]['id']}", points, 'i1'],
    ['negative literal', '{[?(@.y==-5)].id}', points, 'i1 i2'],
  ]);
});

const pod = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [0, 1, 2, 3, 4, 5].map((i) => ({ image: 'radial/busyboxplus:curl', name: `fake${i}` })) } };
const pod4 = { ...pod, spec: { containers: pod.spec.containers.slice(0, 4) } };

test('client-go TestNegativeIndex and TestStep', () => {
  run([
    ['[0]', '{.spec.containers[0].name}', pod4, 'fake0'],
    ['[0:0] is empty', '{.spec.containers[0:0].name}', pod4, ''],
    ['[0:-1]', '{.spec.containers[0:-1].name}', pod4, 'fake0 fake1 fake2'],
    ['[-1]', '{.spec.containers[-1].name}', pod4, 'fake3'],
    ['[-1:]', '{.spec.containers[-1:].name}', pod4, 'fake3'],
    ['[-2:]', '{.spec.containers[-2:].name}', pod4, 'fake2 fake3'],
    ['[-4]', '{.spec.containers[-4].name}', pod4, 'fake0'],
    ['[5:5] is empty', '{.spec.containers[5:5].name}', pod4, ''],
    ['[-5:-5] is empty', '{.spec.containers[-5:-5].name}', pod4, ''],
    ['[0:]', '{.spec.containers[0:].name}', pod, 'fake0 fake1 fake2 fake3 fake4 fake5'],
    ['[0:6:]', '{.spec.containers[0:6:].name}', pod, 'fake0 fake1 fake2 fake3 fake4 fake5'],
    ['[1:4:2]', '{.spec.containers[1:4:2].name}', pod, 'fake1 fake3'],
    ['[1:4:4]', '{.spec.containers[1:4:4].name}', pod, 'fake1'],
    ['[0:6:5]', '{.spec.containers[0:6:5].name}', pod, 'fake0 fake5'],
  ]);
  fails([
    ['[-1:0]', '{.spec.containers[-1:0].name}', pod4, 'starting index 3 is greater than ending index 0', 'execute'],
    ['[-5]', '{.spec.containers[-5].name}', pod4, 'array index out of bounds: index -1, length 4', 'execute'],
    ['[4]', '{.spec.containers[4].name}', pod4, 'array index out of bounds: index 4, length 4', 'execute'],
    ['[3:1]', '{.spec.containers[3:1].name}', pod4, 'starting index 3 is greater than ending index 1', 'execute'],
    ['[0:6:0]', '{.spec.containers[0:6:0].name}', pod, 'step must be > 0', 'execute'],
    ['[0:6:-1]', '{.spec.containers[0:6:-1].name}', pod, 'step must be > 0', 'execute'],
  ]);
});

const podList = (...pods: { name: string; containers: string[]; annotations?: Record<string, string>; phase?: string }[]) => ({
  kind: 'List',
  items: pods.map((p) => ({
    kind: 'Pod',
    metadata: { name: p.name, ...(p.annotations ? { annotations: p.annotations } : {}) },
    spec: { containers: p.containers.map((name) => ({ name, another: [{ name: 'value1' }, { name: 'value2' }] })) },
    ...(p.phase ? { status: { phase: p.phase } } : {}),
  })),
});

test('client-go TestNestedRanges, TestEmptyRange and TestRunningPodsJSONPathOutput', () => {
  const data = podList({ name: 'pod1', containers: ['foo', 'bar'] }, { name: 'pod2', containers: ['baz'] });
  run([
    ['nested range', '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', data, 'pod1:foo,bar,+pod2:baz,+'],
    ['three levels', '{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}', data,
      'pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#'],
    ['two ranges at one level', '{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}', data,
      'pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n'],
  ]);
  run([
    ['empty range', '{range .items[*]}{.metadata.name}{end}', { items: [] }, ''],
    ['empty nested range', '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', { items: [] }, ''],
    ['text after an empty range', '{range .items[*]}{.x}{end}done', { items: [] }, 'done'],
  ], true);
  const running = podList({ name: 'pod1', containers: [], phase: 'Running' }, { name: 'pod2', containers: [], phase: 'Running' }, { name: 'pod3', containers: [], phase: 'Running' });
  running.items.push({ resourceVersion: '' } as never);
  run([['range over a filter', '{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}', running, 'pod1 is Running\npod2 is Running\npod3 is Running\n']], true);
});

test('missing keys: kubectl allows them by default; with false they are errors (client-go TestFilterPartialMatches…)', () => {
  const data = podList({ name: 'pod1', containers: [], annotations: { color: 'blue' } }, { name: 'pod2', containers: [] },
    { name: 'pod3', containers: [], annotations: { color: 'green' } }, { name: 'pod4', containers: [], annotations: { color: 'blue' } });
  const template = '{.items[?(@.metadata.annotations.color=="blue")].metadata.name}';
  assert.equal(executeJsonPath(template, data), 'pod1 pod4', 'the default is kubectl\'s AllowMissingKeys(true)');
  assert.equal(executeJsonPath('{.metadata.missing}', { metadata: {} }), '');
  fails([
    ['filter over a missing key', template, data, 'annotations is not found', 'execute'],
    ['nonexistent field', '{.hello}', store, 'hello is not found', 'execute'],
  ]);
});

test('parse errors carry client-go parser words (TestFailParser and friends)', () => {
  fails([
    ['unclosed action', '{.hello', null, 'unclosed action', 'parse'],
    ['newline in action', '{.hello\n}', null, 'unclosed action', 'parse'],
    ['unrecognized character', '{*}', null, "unrecognized character in action: U+002A '*'", 'parse'],
    ['no {.a,.b} union in kubectl', '{.metadata.name,.metadata.namespace}', null, "unrecognized character in action: U+002C ','", 'parse'],
    ['no =~ in kubectl', "{.items[?(@.a=~'x')]}", null, "unrecognized character in action: U+007E '~'", 'parse'],
    ['invalid number', '{+12.3.0}', null, 'cannot parse number +12.3.0', 'parse'],
    ['unterminated array', '{[1}', null, 'unterminated array', 'parse'],
    ['unterminated filter', '{[?(.price]}', null, 'unterminated filter', 'parse'],
    ['unclosed filter', '{[?(@.a)x}', null, 'unclosed array expect ]', 'parse'],
    ['invalid index', '{.a[x]}', null, 'invalid array index x', 'parse'],
    ['index not a number', '{.a[-]}', null, 'array index - is not a number', 'parse'],
    ['unterminated quote', '{"abc}', null, 'unterminated quoted string', 'parse'],
    ['bad escape', '{"\\q"}', null, 'unquote string "\\q" error invalid syntax', 'parse'],
    ['superrecurfields', '{....Price}', null, 'invalid multiple recursive descent', 'parse'],
  ]);
  assert.throws(() => parseJsonPath('{\\\\\\}'), JsonPathError, 'malformat input');
});

test('execution errors carry client-go words (failStoreTests and comparisons)', () => {
  fails([
    ['invalid identifier', '{hello}', store, 'unrecognized identifier hello', 'execute'],
    ['invalid array', '{.Labels[0]}', store, 'map[string]interface {} is not array or slice', 'execute'],
    ['invalid filter operator', '{.Book[?(@.Price<>10)]}', store, 'unrecognized filter operator <>', 'execute'],
    ['redundant end', '{range .Labels.*}{@}{end}{end}', store, 'not in range, nothing to end', 'execute'],
    ['filter on a map', '{.Labels[?(@.x)]}', store, 'map[engieer:10 k8s-app:20 web/html:15] is not array or slice and cannot be filtered', 'execute'],
    ['int field against a float literal', '{.items[?(@.n>1.5)]}', { items: [{ n: 2 }] }, 'incompatible types for comparison', 'execute'],
    ['string against a number', '{.items[?(@.n=="2")]}', { items: [{ n: 2 }] }, 'incompatible types for comparison', 'execute'],
    ['map compared', '{.items[?(@.n==1)]}', { items: [{ n: {} }] }, 'invalid type for comparison', 'execute'],
    ['several values compared', '{.items[?(@.n[*]==1)]}', { items: [{ n: [1, 2] }] }, 'can only compare one element at a time', 'execute'],
  ]);
});

test('parser details: quotes inside filters, paired parentheses, booleans (client-go TestParser)', () => {
  const nodeInfo = (osImage: string) => ({ items: [{ status: { nodeInfo: { osImage } }, n: 1 }, { status: { nodeInfo: { osImage: 'other' } }, n: 2 }] });
  run([
    ['parentheses in quotes', '{.items[?(@.status.nodeInfo.osImage == "()")].n}', nodeInfo('()'), '1'],
    ['escaped quotes', '{.items[?(@.status.nodeInfo.osImage == "(\\"\\")")].n}', nodeInfo('("")'), '1'],
    ['unbalanced parentheses', '{.items[?(@.status.nodeInfo.osImage == "())(")].n}', nodeInfo('())('), '1'],
    ['single quotes', "{.items[?(@.status.nodeInfo.osImage == 'Linux')].n}", nodeInfo('Linux'), '1'],
    ['braces in quotes', '{.items[?(@.status.nodeInfo.osImage == "{[()]}")].n}', nodeInfo('{[()]}'), '1'],
    ['arraydict with dots', "{['book.price']}", { book: { price: 3 } }, '3'],
    ['escaped dot in bracket key', "{['name\\.type']}", { 'name.type': 'x' }, 'x'],
    ['wildcard field', '{.bicycle.*}', { bicycle: { color: 'red', price: 19.95 } }, 'red 19.95'],
  ]);
  const parsed = parseJsonPath('{range .items}{.name},{end}');
  assert.deepEqual(parsed.nodes.map((n) => n.type), ['list', 'list', 'text', 'list']);
});

test('custom-columns specs and RelaxedJSONPathExpression (kubectl customcolumn_test.go)', () => {
  for (const [input, expected] of [['foo.bar', '{.foo.bar}'], ['{foo.bar}', '{.foo.bar}'], ['.foo.bar', '{.foo.bar}'], ['{.foo.bar}', '{.foo.bar}'], ['', '']]) {
    assert.equal(relaxedJsonPathExpression(input!), expected, input);
  }
  for (const bad of ['{foo.bar', 'foo.bar}', '{foo.bar}}', '{{foo.bar}']) {
    assert.throws(() => relaxedJsonPathExpression(bad), /unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'/);
  }
  assert.deepEqual(parseCustomColumns('NAME:metadata.name,API_VERSION:apiVersion'), [{ header: 'NAME', path: '{.metadata.name}' }, { header: 'API_VERSION', path: '{.apiVersion}' }]);
  assert.throws(() => parseCustomColumns(''), /^CustomColumnsError: custom-columns format specified but no custom columns given$/);
  assert.throws(() => parseCustomColumns('invalid'), { message: 'unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>' });
  assert.throws(() => parseCustomColumns('invalid=foobar'), { message: 'unexpected custom-columns spec: invalid=foobar, expected <header>:<json-path-expr>' });
  assert.throws(() => parseCustomColumns('invalid,foobar:blah'), { message: 'unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>' });
});

test('custom-columns-file: a header line and a spec line, split on whitespace', () => {
  const expected = [{ header: 'NAME', path: '{.metadata.name}' }, { header: 'API_VERSION', path: '{.apiVersion}' }];
  assert.deepEqual(parseCustomColumnsFile('NAME               API_VERSION\n{metadata.name}    {apiVersion}'), expected);
  assert.deepEqual(parseCustomColumnsFile('NAME               \t\tAPI_VERSION\r\n\t\t\t\t\t\t\t{metadata.name}    {apiVersion}\n'), expected);
  const format = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  assert.throws(() => parseCustomColumnsFile(''), { message: `invalid template, missing header line. ${format}` });
  assert.throws(() => parseCustomColumnsFile('invalid'), { message: `invalid template, missing spec line. ${format}` });
  assert.throws(() => parseCustomColumnsFile('A B\n.a'), { message: "number of headers (2) and field specifications (1) don't match" });
});

test('custom-columns rows through formatTable match kubectl (TestColumnPrint, docs examples)', () => {
  const cols = (spec: string) => parseCustomColumns(spec);
  const table = (spec: string, objects: unknown[], noHeaders = false) => formatTable(customColumnRows(cols(spec), objects, noHeaders));
  const foo = { apiVersion: 'baz', kind: 'Pod', metadata: { name: 'foo' } };
  assert.equal(table('NAME:{.metadata.name}', [foo]), 'NAME\nfoo\n');
  assert.equal(table('NAME:.metadata.name', [{ kind: 'PodList', items: [foo, { metadata: { name: 'bar' } }] }]), 'NAME\nfoo\nbar\n', 'a List is its items');
  assert.equal(table('NAME:.metadata.name,API_VERSION:.apiVersion', [foo]), 'NAME   API_VERSION\nfoo    baz\n');
  assert.equal(table('NAME:.metadata.name,API_VERSION:.apiVersion,NOT_FOUND:.notFound', [foo]), 'NAME   API_VERSION   NOT_FOUND\nfoo    baz           <none>\n');
  assert.equal(table('NAME:.metadata.name', [{ metadata: { name: '\x1b \r' } }]), 'NAME\n^[ \\r\n', 'terminal escapes');
  const labelled = (name: string) => ({ metadata: { name, labels: { label1: name, label2: name } } });
  assert.equal(table('NAME:.metadata.name,LONG COLUMN NAME:.metadata.labels.label1,LABEL 2:.metadata.labels.label2', [labelled('foo'), labelled('bar')]),
    'NAME   LONG COLUMN NAME   LABEL 2\nfoo    foo                foo\nbar    bar                bar\n');
  // kubernetes.io kubectl reference, "Custom columns": inline spec and template file give the same table.
  const queue = { kind: 'Pod', metadata: { name: 'submit-queue', resourceVersion: '610995' } };
  assert.equal(table('NAME:.metadata.name,RSRC:.metadata.resourceVersion', [queue]), 'NAME           RSRC\nsubmit-queue   610995\n');
  assert.equal(formatTable(customColumnRows(parseCustomColumnsFile('NAME          RSRC\nmetadata.name metadata.resourceVersion\n'), [queue])), 'NAME           RSRC\nsubmit-queue   610995\n');
  assert.equal(table('API_VERSION:apiVersion', [foo], true), 'baz\n', '--no-headers');
});

test('custom-columns cells: several values joined by commas, Go formatting, slices as in TestSliceColumnPrint', () => {
  const pods = [
    { kind: 'Pod', metadata: { name: 'web', labels: { tier: 'front', app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }, { name: 'log', image: 'busybox' }] } },
    { kind: 'Pod', metadata: { name: 'db' }, spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } },
  ];
  assert.equal(formatTable(customColumnRows(parseCustomColumns('NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image,LABELS:.metadata.labels,PORTS:.spec.containers[*].ports'), pods)),
    'NAME   NODE     IMAGES               LABELS                    PORTS\n' +
    'web    node-1   nginx:1.27,busybox   map[app:web tier:front]   [map[containerPort:80]]\n' +
    'db     <none>   postgres:16          <none>                    <none>\n');
  const cell = (path: string) => customColumnRows(parseCustomColumns(`C:${path}`), [pod4], true)[0]![0];
  assert.equal(cell('.spec.containers[0:3].name'), 'fake0,fake1,fake2');
  assert.equal(cell('.spec.containers[-3:-1].name'), 'fake1,fake2');
  assert.equal(cell('.spec.containers[4:4].name'), '<none>');
  assert.equal(cell('.spec.containers[?(@.name=="fake2")].name'), 'fake2');
  assert.throws(() => cell('.spec.containers[5].name'), { message: 'array index out of bounds: index 5, length 4' });
  assert.throws(() => cell('.spec.containers[-2:-3].name'), { message: 'starting index 2 is greater than ending index 1' });
});
