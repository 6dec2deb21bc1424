/** The value after `--name` on this bench's command line, or `fallback` when it is not given. */
export function option(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (argv[at + 1] ?? fallback);
}
