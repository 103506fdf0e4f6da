/**
 * The attributes of `<podplay-sandbox>` read into a config: every good value
 * and what it gives, every bad value reported once (attribute, value given,
 * what is allowed) with the default kept, boolean attributes as HTML has them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ATTRIBUTES, DEFAULTS, DEFAULT_HEIGHT, MAX_NODES, MAX_SPEED, parseAttributes, persistKey, type SandboxConfig } from '../../src/ui/attributes.ts';

type Attrs = Record<string, string | null | undefined>;

/** The default config with some fields changed. */
const config = (changes: Partial<SandboxConfig> = {}): SandboxConfig => ({ ...structuredClone(DEFAULTS), ...changes });

test('no attributes give the defaults and no problems', () => {
  const { config: c, problems } = parseAttributes({});
  assert.deepEqual(c, config());
  assert.deepEqual(problems, []);
  assert.deepEqual(c, { nodes: 3, images: [], manifests: [], files: [], run: [], persist: false, speed: 1, panels: ['terminal'], readonlyTerminal: false, height: '28rem', theme: 'auto', screenReader: false });
});

test('absent attributes (null, as getAttribute answers, or undefined) give the defaults', () => {
  const nulls = Object.fromEntries(ATTRIBUTES.map((a) => [a, null]));
  const undefs = Object.fromEntries(ATTRIBUTES.map((a) => [a, undefined]));
  for (const attrs of [nulls, undefs]) {
    const { config: c, problems } = parseAttributes(attrs);
    assert.deepEqual(c, config());
    assert.deepEqual(problems, []);
  }
});

test('the config is a copy: changing it leaves DEFAULTS and later configs alone', () => {
  const { config: c } = parseAttributes({});
  c.panels.push('run');
  c.images.push('x');
  c.run.push('y');
  assert.deepEqual(DEFAULTS.panels, ['terminal']);
  assert.deepEqual(DEFAULTS.images, []);
  assert.deepEqual(parseAttributes({}).config, config());
});

/** [attributes, the config fields they give]: each gives no problem. */
const good: Array<[Attrs, Partial<SandboxConfig>]> = [
  [{ nodes: '1' }, { nodes: 1 }],
  [{ nodes: '5' }, { nodes: 5 }],
  [{ nodes: String(MAX_NODES) }, { nodes: MAX_NODES }],
  [{ nodes: ' 2 ' }, { nodes: 2 }],
  [{ 'node-cpu': '2' }, { nodeCpu: '2' }],
  [{ 'node-cpu': '1.5' }, { nodeCpu: '1.5' }],
  [{ 'node-cpu': '500m' }, { nodeCpu: '500m' }],
  [{ 'node-cpu': '.5' }, { nodeCpu: '.5' }],
  [{ 'node-cpu': ' 4 ' }, { nodeCpu: '4' }],
  [{ 'node-memory': '4Gi' }, { nodeMemory: '4Gi' }],
  [{ 'node-memory': '512Mi' }, { nodeMemory: '512Mi' }],
  [{ 'node-memory': '2G' }, { nodeMemory: '2G' }],
  [{ 'node-memory': '1.5Gi' }, { nodeMemory: '1.5Gi' }],
  [{ 'node-memory': '1073741824' }, { nodeMemory: '1073741824' }],
  [{ 'node-memory': '64Ki' }, { nodeMemory: '64Ki' }],
  [{ images: 'https://a.example/images' }, { images: ['https://a.example/images'] }],
  [{ images: 'a/ b/\n c/' }, { images: ['a/', 'b/', 'c/'] }],
  [{ images: 'a/,b/ c/' }, { images: ['a/,b/', 'c/'] }],
  [{ images: '' }, { images: [] }],
  [{ manifests: 'web.yaml svc.yaml' }, { manifests: ['web.yaml', 'svc.yaml'] }],
  [{ manifests: 'data:text/yaml,kind:%20List web.yaml' }, { manifests: ['data:text/yaml,kind:%20List', 'web.yaml'] }],
  [{ files: 'Dockerfile  app/main.go' }, { files: ['Dockerfile', 'app/main.go'] }],
  [{ run: 'kubectl get nodes' }, { run: ['kubectl get nodes'] }],
  [{ run: 'kubectl get nodes\nkubectl get pods' }, { run: ['kubectl get nodes', 'kubectl get pods'] }],
  [{ run: '\n  kubectl apply -f web.yaml\r\n\n   kubectl get pods -w  \n' }, { run: ['kubectl apply -f web.yaml', 'kubectl get pods -w'] }],
  [{ run: '' }, { run: [] }],
  [{ speed: '1' }, { speed: 1 }],
  [{ speed: '10' }, { speed: 10 }],
  [{ speed: '0.5' }, { speed: 0.5 }],
  [{ speed: String(MAX_SPEED) }, { speed: MAX_SPEED }],
  [{ speed: ' 60 ' }, { speed: 60 }],
  [{ panels: 'terminal' }, { panels: ['terminal'] }],
  [{ panels: 'images' }, { panels: ['images'] }],
  [{ panels: 'terminal images run' }, { panels: ['terminal', 'images', 'run'] }],
  [{ panels: 'terminal map' }, { panels: ['terminal', 'map'] }],
  [{ cluster: 'examples/scheduler/nodes.yaml' }, { cluster: 'examples/scheduler/nodes.yaml' }],
  [{ cluster: '  ' }, {}],
  [{ panels: 'run, terminal' }, { panels: ['run', 'terminal'] }],
  [{ panels: 'run terminal run' }, { panels: ['run', 'terminal'] }],
  [{ height: '400' }, { height: '400px' }],
  [{ height: '400px' }, { height: '400px' }],
  [{ height: '30rem' }, { height: '30rem' }],
  [{ height: '.5rem' }, { height: '.5rem' }],
  [{ panels: 'Terminal RUN' }, { panels: ['terminal', 'run'] }],
  [{ height: '2.5em' }, { height: '2.5em' }],
  [{ height: '60vh' }, { height: '60vh' }],
  [{ height: '50dvh' }, { height: '50dvh' }],
  [{ height: ' 20lh ' }, { height: '20lh' }],
  [{ theme: 'light' }, { theme: 'light' }],
  [{ theme: 'dark' }, { theme: 'dark' }],
  [{ theme: 'auto' }, { theme: 'auto' }],
  [{ theme: ' Dark ' }, { theme: 'dark' }],
  [{ assets: 'https://cdn.example/podplay/' }, { assets: 'https://cdn.example/podplay/' }],
  [{ assets: ' /podplay/ ' }, { assets: '/podplay/' }],
  [{ assets: '' }, {}],
  [{ 'service-worker': '/docs/podplay-sw.js' }, { serviceWorker: '/docs/podplay-sw.js' }],
  [{ 'service-worker': '   ' }, {}],
  [{ nodes: '2', 'node-cpu': '4', 'node-memory': '8Gi', speed: '5', panels: 'terminal run', theme: 'dark', persist: '', run: 'kubectl get nodes' },
    { nodes: 2, nodeCpu: '4', nodeMemory: '8Gi', speed: 5, panels: ['terminal', 'run'], theme: 'dark', persist: true, run: ['kubectl get nodes'] }],
];

describe('good values give their config and no problem', () => {
  for (const [attrs, changes] of good) {
    test(JSON.stringify(attrs), () => {
      const { config: c, problems } = parseAttributes(attrs);
      assert.deepEqual(problems, []);
      assert.deepEqual(c, config(changes));
    });
  }
});

/** [attribute, value, words of what is allowed, the config fields kept (the default unless given)]. */
const bad: Array<[string, string, string, Partial<SandboxConfig>?]> = [
  ['nodes', 'abc', 'a whole number of nodes from 1 to 10'],
  ['nodes', '0', 'a whole number of nodes from 1 to 10'],
  ['nodes', '11', 'a whole number of nodes from 1 to 10'],
  ['nodes', '-1', 'a whole number of nodes from 1 to 10'],
  ['nodes', '2.5', 'a whole number of nodes from 1 to 10'],
  ['nodes', '+3', 'a whole number of nodes from 1 to 10'],
  ['nodes', '', 'a whole number of nodes from 1 to 10'],
  ['node-cpu', 'lots', 'a CPU quantity above zero'],
  ['node-cpu', '0', 'a CPU quantity above zero'],
  ['node-cpu', '0m', 'a CPU quantity above zero'],
  ['node-cpu', '-1', 'a CPU quantity above zero'],
  ['node-cpu', '500M', 'a CPU quantity above zero'],
  ['node-cpu', '', 'a CPU quantity above zero'],
  ['node-memory', 'big', 'a memory quantity above zero'],
  ['node-memory', '4gi', 'a memory quantity above zero'],
  ['node-memory', '0Gi', 'a memory quantity above zero'],
  ['node-memory', '4 Gi', 'a memory quantity above zero'],
  ['node-memory', '', 'a memory quantity above zero'],
  ['speed', '-1', 'a number above 0 and at most 1000'],
  ['speed', '0', 'a number above 0 and at most 1000'],
  ['speed', 'abc', 'a number above 0 and at most 1000'],
  ['speed', '1001', 'a number above 0 and at most 1000'],
  ['speed', 'Infinity', 'a number above 0 and at most 1000'],
  ['speed', 'NaN', 'a number above 0 and at most 1000'],
  ['speed', '', 'a number above 0 and at most 1000'],
  ['speed', '  ', 'a number above 0 and at most 1000'],
  ['speed', '0x10', 'a number above 0 and at most 1000'],
  ['speed', '1e2', 'a number above 0 and at most 1000'],
  ['panels', 'terminal lessons', 'one or more of terminal, files, map, images, run', { panels: ['terminal'] }],
  ['panels', 'images lessons', 'one or more of terminal, files, map, images, run', { panels: ['images'] }],
  ['panels', 'run,editor,images', 'one or more of terminal, files, map, images, run', { panels: ['run', 'images'] }],
  ['panels', 'lessons', 'one or more of terminal, files, map, images, run'],
  ['panels', 'Terminal lessons', 'one or more of terminal, files, map, images, run', { panels: ['terminal'] }],
  ['panels', '', 'one or more of terminal, files, map, images, run'],
  ['panels', ' , ', 'one or more of terminal, files, map, images, run'],
  ['height', 'tall', 'a CSS length for the terminal'],
  ['height', '0', 'a CSS length for the terminal'],
  ['height', '50%', 'a CSS length for the terminal'],
  ['height', '400 px', 'a CSS length for the terminal'],
  ['height', '-10px', 'a CSS length for the terminal'],
  ['height', '', 'a CSS length for the terminal'],
  ['theme', 'pink', 'light, dark or auto'],
  ['theme', 'system', 'light, dark or auto'],
  ['theme', '', 'light, dark or auto'],
];

describe('a bad value gives one problem (attribute, value, what is allowed) and keeps the default', () => {
  for (const [attribute, value, allowed, kept] of bad) {
    test(`${attribute}="${value}"`, () => {
      const { config: c, problems } = parseAttributes({ [attribute]: value });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      const [p] = problems;
      assert.equal(p!.attribute, attribute);
      assert.equal(p!.value, value);
      assert.ok(p!.message.startsWith(`${attribute}="${value}" is not allowed: ${attribute} takes `), p!.message);
      assert.ok(p!.message.includes(allowed), `"${p!.message}" names what is allowed ("${allowed}")`);
      assert.match(p!.message, /\. Using .+\.$/, 'and says what is used instead');
      assert.deepEqual(c, config(kept));
    });
  }
});

test('what a bad value falls back to is named: the default, or the valid panels', () => {
  const cases: Array<[Attrs, string]> = [
    [{ nodes: 'abc' }, 'Using the default, 3.'],
    [{ 'node-cpu': 'lots' }, 'Using the default, 2.'],
    [{ 'node-memory': 'big' }, 'Using the default, 4Gi.'],
    [{ speed: '0' }, 'Using the default, 1.'],
    [{ panels: 'lessons' }, 'Using the default, terminal.'],
    [{ panels: 'run terminal lessons' }, 'Using run terminal.'],
    [{ height: 'tall' }, `Using the default, ${DEFAULT_HEIGHT}.`],
    [{ theme: 'pink' }, 'Using auto.'],
  ];
  for (const [attrs, tail] of cases) {
    const { problems } = parseAttributes(attrs);
    assert.ok(problems[0]!.message.endsWith(tail), `${JSON.stringify(attrs)}: ${problems[0]!.message}`);
  }
});

test('each bad attribute is reported on its own; the good ones beside them are used', () => {
  const { config: c, problems } = parseAttributes({ nodes: '11', speed: 'fast', theme: 'pink', height: '300', panels: 'run', persist: '' });
  assert.deepEqual(problems.map((p) => [p.attribute, p.value]), [['nodes', '11'], ['speed', 'fast'], ['theme', 'pink']]);
  assert.deepEqual(c, config({ height: '300px', panels: ['run'], persist: true }));
});

const BOOLEANS = [['persist', 'persist'], ['readonly-terminal', 'readonlyTerminal'], ['screen-reader', 'screenReader']] as const;

/** [value, on?]: present means on, as HTML's boolean attributes; "false" (and 0, no, off) also mean off. */
const booleanValues: Array<[string | null | undefined, boolean]> = [
  [null, false],
  [undefined, false],
  ['', true],
  ['true', true],
  ['yes', true],
  ['1', true],
  ['on', true],
  ['false', false],
  ['FALSE', false],
  [' false ', false],
  ['0', false],
  ['no', false],
  ['off', false],
];

describe('boolean attributes as HTML has them', () => {
  for (const [attribute, key] of BOOLEANS) {
    for (const [value, on] of booleanValues) {
      test(`${attribute}${value === null || value === undefined ? ` absent (${value})` : `="${value}"`} is ${on ? 'on' : 'off'}`, () => {
        const { config: c, problems } = parseAttributes({ [attribute]: value });
        assert.equal(c[key], on);
        assert.deepEqual(problems, []);
        assert.deepEqual(c, config({ [key]: on }));
      });
    }
    test(`${attribute}="${attribute}" (the attribute's name as its value) is on`, () => {
      assert.equal(parseAttributes({ [attribute]: attribute }).config[key], true);
    });
  }
});

test('the good and bad tables cover every attribute the element observes', () => {
  const seen = new Set([...good.flatMap(([attrs]) => Object.keys(attrs)), ...bad.map(([a]) => a), ...BOOLEANS.map(([a]) => a)]);
  assert.deepEqual([...ATTRIBUTES].filter((a) => !seen.has(a)), []);
  assert.equal(new Set(ATTRIBUTES).size, 17);
});

test('an attribute the element does not read is ignored', () => {
  const { config: c, problems } = parseAttributes({ colour: 'pink', id: 'demo' });
  assert.deepEqual(c, config());
  assert.deepEqual(problems, []);
});

describe('persistKey: the page path and the element id', () => {
  const cases: Array<[string, string, string]> = [
    ['/docs/intro', 'demo', '/docs/intro#demo'],
    ['/', 'podplay-sandbox-1', '/#podplay-sandbox-1'],
    ['/docs/intro/', 'demo', '/docs/intro/#demo'],
    // A folder's index is one page whichever way it is asked for.
    ['/docs/intro/index.html', 'demo', '/docs/intro/#demo'],
    ['/index.htm', 'demo', '/#demo'],
  ];
  for (const [path, id, key] of cases) test(`${path} + ${id} → ${key}`, () => assert.equal(persistKey(path, id), key));
  test('two sandboxes on one page, or one id on two pages, get different keys', () => {
    assert.notEqual(persistKey('/a', 'x'), persistKey('/a', 'y'));
    assert.notEqual(persistKey('/a', 'x'), persistKey('/b', 'x'));
  });
});
