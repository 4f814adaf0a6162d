import { isMainThread } from 'node:worker_threads';
import { version } from '../../package.json';
import { isInputError } from '../core/errors';
import { printable, quoteName } from '../core/text';
import { FIND_USAGE, findCommand } from './find';
import { INSPECT_USAGE, inspectCommand } from './inspect';
import { SWEEP2D_USAGE, SWEEP_USAGE, sweep2dCommand, sweepCommand } from './sweep';
import { RUN_USAGE, runCommand } from './run';
import { TRAIN_USAGE, trainCommand } from './train';
import { MERGE_USAGE, RESUBMIT_USAGE, SHARDING_USAGE, SHARD_USAGE, STATUS_USAGE, mergeCommand, resubmitCommand, shardCommand, statusCommand, withShards } from './shard';
import { BASINS_USAGE, basinsCommand } from './basins';

const USAGE = `SCYFI: fixed points and cycles of ReLU RNNs (PLRNN family)

usage:
  ${FIND_USAGE}
  ${INSPECT_USAGE}
  ${SWEEP_USAGE}
  ${SWEEP2D_USAGE}
  ${RUN_USAGE}
  ${BASINS_USAGE}
  ${TRAIN_USAGE}
  sharded jobs: ${SHARDING_USAGE}
  ${SHARD_USAGE}
  ${STATUS_USAGE}
  ${MERGE_USAGE}
  ${RESUBMIT_USAGE}
  scyfi --help | --version

Exit codes: 0 success, 2 bad input (one line on stderr), 1 internal error, 3 a merge with shards missing,
130/143 a search stopped by SIGINT/SIGTERM (Ctrl-C), which still printed what it found.`;

type Command = (argv: string[], out: (s: string) => void, progress?: (s: string) => void) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  find: findCommand,
  inspect: inspectCommand,
  sweep: withShards('sweep', sweepCommand),
  sweep2d: withShards('sweep2d', sweep2dCommand),
  run: withShards('run', runCommand),
  train: trainCommand,
  shard: shardCommand,
  status: statusCommand,
  merge: mergeCommand,
  resubmit: resubmitCommand,
  basins: basinsCommand,
};

async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s + '\n');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    out(version);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`scyfi: unknown command ${quoteName(name)} (try scyfi --help)\n`);
    return 2;
  }
  // Progress goes to a terminal only, on one line that is cleared at the end: piped stderr stays
  // empty on success and holds exactly one line on an error.
  let shown = false;
  const progress = process.stderr.isTTY
    ? (s: string) => {
        process.stderr.write(`\r\x1b[K${s}`);
        shown = true;
      }
    : undefined;
  try {
    return await command(rest, out, progress);
  } finally {
    if (shown) process.stderr.write('\r\x1b[K');
  }
}

// The search worker (searchInWorker.ts) runs this same bundle: only the main thread is the CLI.
if (isMainThread) void run();

function run(): Promise<void> {
  // `scyfi … | head`: the reader has gone, so there is no one to tell; end quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  return main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (isInputError(e)) {
        process.stderr.write(`scyfi: ${printable(e.message)}\n`);
        process.exitCode = 2;
      } else {
        // Line by line: a stack keeps its lines, but nothing in it reaches the terminal raw.
        const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
        process.stderr.write(`scyfi: internal error: ${text.split('\n').map(printable).join('\n')}\n`);
        process.exitCode = 1;
      }
    },
  );
}
