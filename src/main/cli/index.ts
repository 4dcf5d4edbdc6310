/**
 * `clusterscope`: the command line over the same core and importers as the app.
 *   clusterscope fit <algorithm> <data> [options] --json
 *   clusterscope help [command]
 * Exit codes: 0 success, 1 the data or a parameter was rejected, 2 bad usage.
 */
import { UsageError } from './args';
import { COMMANDS, usage } from './commands';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(`${usage(topic)}\n`);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${typeof __CLUSTERSCOPE_VERSION__ === "string" ? __CLUSTERSCOPE_VERSION__ : "dev"}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${usage(name)}\n`);
    return 0;
  }
  const output = await command.run(rest);
  process.stdout.write(`${output}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    const err = e as Error;
    if (err instanceof UsageError) {
      process.stderr.write(`clusterscope: ${err.message}\nRun 'clusterscope --help' for usage.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`clusterscope: ${err?.message ?? String(e)}\n`);
      if (process.env.CLUSTERSCOPE_DEBUG) process.stderr.write(`${err?.stack}\n`);
      process.exitCode = 1;
    }
  },
);
