/**
 * On two cores, Node's four V8 helper threads slow a cold build by about a fifth: they take the
 * cores from the main thread while it parses and renders. With one (`--v8-pool-size=1`) a cold
 * build of the course ran in 0.8 of the time. The option can only be given when Node starts, so
 * a command that will compile every page starts Node again with it, at the cost of one Node start
 * (40-130 ms). Those are `check`, and a `build` with `--no-cache` or in a project with no build
 * cache yet. A rebuild compiles little, and runs as it is. A `--v8-pool-size` given in
 * NODE_OPTIONS or on the command line is left as it is, and so is a Node started with its
 * inspector (a second Node would ask for the same port, and the debugger would see no build).
 *
 * The second Node is started without NODE_EXTRA_CA_CERTS: Node 20 and 22 read the file at start
 * and, with it, parse all their own root certificates, some 80 ms. `check` and `build` open no
 * TLS connection; the first Node has read the file already, and said so if it could not.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

const ONE_HELPER = '--v8-pool-size=1';

export interface Situation {
  /** The command's arguments, after the script. */
  args: string[];
  cores: number;
  /** Node's own options: its command line, then NODE_OPTIONS. */
  nodeOptions: string[];
  /** Whether the project in the working folder has a build cache (asked only when it matters). */
  hasBuildCache: () => boolean;
}

/** Whether this command is better run in a Node with one V8 helper thread. */
export function wantsOneHelper({ args, cores, nodeOptions, hasBuildCache }: Situation): boolean {
  if (cores > 2 || nodeOptions.some((option) => /--v8-pool-size|--inspect/.test(option))) return false;
  const [command] = args;
  if (command === 'check') return true;
  return command === 'build' && (args.includes('--no-cache') || !hasBuildCache());
}

/** The environment of the second Node: the same, less what only TLS connections need. */
function relaunchEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const second = { ...env };
  delete second.NODE_EXTRA_CA_CERTS;
  return second;
}

/**
 * Runs `entry` again in a Node with one V8 helper thread when this command is better off there;
 * returns false (nothing done) otherwise, or when Node cannot be started again.
 */
export function relaunchWithOneHelper(entry: string, hasBuildCache: () => boolean): boolean {
  const situation: Situation = {
    args: process.argv.slice(2),
    cores: availableParallelism(),
    nodeOptions: [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
    hasBuildCache,
  };
  if (!wantsOneHelper(situation)) return false;
  // Loaded only here: loading child_process takes a few ms of every other command.
  const { spawnSync } = createRequire(entry)('node:child_process') as typeof import('node:child_process');
  const result = spawnSync(process.execPath, [...process.execArgv, ONE_HELPER, entry, ...situation.args], {
    stdio: 'inherit',
    env: relaunchEnvironment(process.env),
  });
  if (result.error) return false;
  if (result.signal) process.kill(process.pid, result.signal);
  process.exitCode = result.status ?? 1;
  return true;
}
