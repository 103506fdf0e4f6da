/** Linux's words for the WASI errno values the network answers with, as Go prints them. */
const TEXT: Record<number, string> = {
  3: 'address already in use',
  14: 'connection refused',
  15: 'connection reset by peer',
  23: 'no route to host',
  40: 'network is unreachable',
  64: 'broken pipe',
  73: 'connection timed out',
};

export function errnoText(errno: number): string {
  return TEXT[errno] ?? `errno ${errno}`;
}
