/**
 * kubectl's -o formats other than tables: yaml (keys sorted, as
 * sigs.k8s.io/yaml writes them, YAML 1.1 quoting), json (four-space indent),
 * name (`pod/web`), jsonpath, go-template (Go's text/template with
 * kubectl's exists and base64decode) and custom-columns. Several objects
 * become a `List`, as kubectl prints them.
 */
import { kindInfo, kubectlKind, toYaml, type KubeObject } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { customColumnRows, parseCustomColumns, parseCustomColumnsFile } from '../custom-columns.ts';
import { executeJsonPath as execute, JsonPathError } from '../jsonpath.ts';
import { TemplateError, parseTemplate, type TemplateFunction } from '../go-template.ts';
import { CommandError } from '../io.ts';
import { formatTable } from '../table.ts';

export const OUTPUT_FORMATS = ['json', 'yaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-file', 'custom-columns', 'custom-columns-file', 'wide'];

/** A JSONPath template's output, with kubectl's words around a template that does not parse or run. */
function executeJsonPath(template: string, data: unknown): string {
  try {
    return execute(template, data);
  } catch (err) {
    if (!(err instanceof JsonPathError)) throw err;
    throw new CommandError(err.phase === 'parse' ? `error: error parsing jsonpath ${template}, ${err.message}` : `error: error executing jsonpath ${JSON.stringify(template)}: ${err.message}`);
  }
}

/** kubectl's functions beside Go's (printers/template.go). */
const KUBECTL_FUNCTIONS: Record<string, TemplateFunction> = {
  exists: (item, ...keys) => {
    let v = item;
    for (const k of keys) {
      if (v === null || typeof v !== 'object' || !(String(k) in v)) return false;
      v = (v as Record<string, unknown>)[String(k)];
    }
    return true;
  },
  base64decode: (s) => {
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(String(s)), (c) => c.charCodeAt(0)));
    } catch {
      throw new Error(`base64 decode failed: illegal base64 data`);
    }
  },
};

/** A Go template's output, with kubectl's words around a template that does not parse or run. */
function executeGoTemplate(template: string, data: unknown): string {
  let render: (d: unknown) => string;
  try {
    render = parseTemplate(template, KUBECTL_FUNCTIONS, 'output');
  } catch (err) {
    if (err instanceof TemplateError) throw new CommandError(`error: error parsing template ${template}, ${err.message}`);
    throw err;
  }
  try {
    return render(data);
  } catch (err) {
    if (err instanceof TemplateError) throw new CommandError(`error: error executing template ${JSON.stringify(template)}: ${err.message}`);
    throw err;
  }
}

export { toYaml };

export function toJson(v: unknown): string {
  return JSON.stringify(v, null, 4) + '\n';
}

/** `pod/web`, `deployment.apps/web`. */
export function resourceName(o: KubeObject): string {
  const info = kindInfo(o.kind);
  const prefix = info ? kubectlKind(info) : o.kind.toLowerCase();
  return `${prefix}/${o.metadata.name}`;
}

/** What `kubectl get … -o yaml` prints for several objects. */
export function asList(items: readonly KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** Whether an -o value is one of the formats {@link printObjects} handles (tables aside). */
export function parseOutput(output: string): { format: string; arg?: string } {
  const eq = output.indexOf('=');
  const format = eq < 0 ? output : output.slice(0, eq);
  const arg = eq < 0 ? undefined : output.slice(eq + 1);
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUT_FORMATS.filter((f) => f !== 'wide').join(',')}`);
  }
  if (['jsonpath', 'custom-columns', 'custom-columns-file', 'jsonpath-file'].includes(format) && !arg) {
    throw new UsageError(`${format} format specified but no ${format.includes('columns') ? 'custom columns' : 'jsonpath template'} given`);
  }
  if (['go-template', 'go-template-file', 'template', 'templatefile'].includes(format) && !arg) throw new UsageError('template format specified but no template given');
  return { format, arg };
}

/**
 * Objects in a non-table format. `single` is whether the user asked for one
 * object by name (printed bare, not in a List). `readFile` reads the
 * -file formats' files.
 */
export async function printObjects(items: readonly KubeObject[], output: { format: string; arg?: string }, single: boolean, readFile: (p: string) => Promise<string>, noHeaders = false): Promise<string> {
  const data = single && items.length === 1 ? items[0]! : asList(items);
  switch (output.format) {
    case 'yaml':
      return toYaml(data);
    case 'json':
      return toJson(data);
    case 'name':
      return items.map((o) => resourceName(o) + '\n').join('');
    case 'jsonpath':
      return executeJsonPath(output.arg!, data);
    case 'jsonpath-file':
      return executeJsonPath(await readFile(output.arg!), data);
    case 'go-template':
    case 'template':
      return executeGoTemplate(output.arg!, data);
    case 'go-template-file':
    case 'templatefile':
      return executeGoTemplate(await readFile(output.arg!), data);
    case 'custom-columns':
    case 'custom-columns-file': {
      const columns = output.format === 'custom-columns' ? parseCustomColumns(output.arg!) : parseCustomColumnsFile(await readFile(output.arg!));
      return formatTable(customColumnRows(columns, [...items], noHeaders));
    }
    default:
      throw new UsageError(`unknown output format ${output.format}`);
  }
}
