/**
 * Name, label and annotation rules (apimachinery util/validation), with the
 * API server's messages.
 */
import { fieldErrors, type FieldError } from '../errors.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** Messages of IsDNS1123Label (empty when valid). */
export function dns1123Label(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) out.push(DNS1123_LABEL_MESSAGE);
  return out;
}

export function dns1123Subdomain(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) out.push(DNS1123_SUBDOMAIN_MESSAGE);
  return out;
}

/** Errors for a name checked by `check`, one per message, at `field`. */
export function nameErrors(field: string, value: string, check: (v: string) => string[]): FieldError[] {
  return check(value).map((m) => fieldErrors.invalid(field, value, m));
}

const QUALIFIED_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** A label or annotation key: `[prefix/]name`. */
export function qualifiedName(key: string): string[] {
  const parts = key.split('/');
  let name = key;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (!prefix) out.push('prefix part must be non-empty');
    else out.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (!name) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name && !QUALIFIED_NAME.test(name)) out.push(QUALIFIED_NAME_MESSAGE);
  return out;
}

export function labelErrors(field: string, labels: Record<string, string> | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of qualifiedName(k)) out.push(fieldErrors.invalid(field, k, m));
    if (typeof v !== 'string') out.push(fieldErrors.invalid(`${field}[${k}]`, v, 'must be a string'));
    else {
      if (v.length > 63) out.push(fieldErrors.invalid(field, v, 'must be no more than 63 characters'));
      if (!LABEL_VALUE.test(v)) out.push(fieldErrors.invalid(field, v, LABEL_VALUE_MESSAGE));
    }
  }
  return out;
}

export function annotationErrors(field: string, annotations: Record<string, string> | undefined): FieldError[] {
  const out: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of qualifiedName(k.toLowerCase())) out.push(fieldErrors.invalid(field, k, m));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) out.push(fieldErrors.tooLong(field, 256 * 1024));
  return out;
}
