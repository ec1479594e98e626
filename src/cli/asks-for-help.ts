/**
 * Whether yargs may print help. yargs renders the whole help text of a command
 * right after calling its handler (to have it ready should the handler fail),
 * and wrapping it to the terminal costs ~40 ms of every start; unwrapped it
 * costs a few. Only a help request prints it, so only then is it wrapped.
 * `help` counts as the last positional (yargs treats `mockdeck replay help`
 * as `--help`); anything after `--` is an operand and counts anyway: a wider
 * test than yargs' only costs those ms.
 *
 * @example
 * asksForHelp(['replay', '-h']) // true
 * asksForHelp(['replay', '--port', '0']) // false
 */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === 'help' || a === '--help' || a.startsWith('--help=') || /^-[A-Za-z]*h[A-Za-z]*$/.test(a));
}
