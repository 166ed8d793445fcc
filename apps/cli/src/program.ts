import { Command, CommanderError } from 'commander';
import { registerDatasets } from './commands/datasets.js';
import { registerDemo } from './commands/demo.js';
import { registerDoctor } from './commands/doctor.js';
import { registerTaskCommands } from './commands/tasks.js';
import { createOutput, EXIT_USAGE, reportError } from './output.js';
import { loadTaskPackages } from './task-packages.js';

export async function main(argv: string[]): Promise<number> {
  await loadTaskPackages();
  const program = new Command('dlkit')
    .description('dlkit — applied deep learning for TypeScript')
    .showHelpAfterError()
    .exitOverride();
  const out = (cmd: Command) => createOutput(Boolean(cmd.optsWithGlobals().json));
  registerDoctor(program, out);
  registerDatasets(program, out);
  registerDemo(program, out);
  registerTaskCommands(program, out);
  program.commands.forEach(function exit(c: Command) {
    c.exitOverride();
    c.commands.forEach(exit);
  });

  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command that completed but found problems (e.g. counts that do not match) sets exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help / --version are "errors" to commander with exit code 0.
      if (e.exitCode === 0) return 0;
      return EXIT_USAGE;
    }
    return reportError(e, json);
  }
}
