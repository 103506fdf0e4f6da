/** Image references as podplay names them: "podplay/hello" means "podplay/hello:latest". */
export function normalizeRef(ref: string): string {
  const trimmed = ref.trim();
  if (trimmed.includes('@')) return trimmed;
  const lastSlash = trimmed.lastIndexOf('/');
  return trimmed.indexOf(':', lastSlash + 1) >= 0 ? trimmed : `${trimmed}:latest`;
}
