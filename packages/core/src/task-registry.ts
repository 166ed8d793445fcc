/**
 * The task registry (transformers.js SUPPORTED_TASKS pattern). Each task package registers
 * its tasks when imported; the CLI and the web app enumerate tasks from here instead of
 * hard-coding lists.
 */
import { DlkitError } from './errors.js';

export type Modality = 'image' | 'text' | 'audio' | 'tabular' | 'interaction' | 'environment' | 'generation';

/** A CLI option in a form independent of any CLI library (the CLI maps it to commander). */
export interface CliOption {
  /** commander-style flags: '--epochs <n>', '--top-k <k>', '--json' */
  flags: string;
  description: string;
  default?: string | number | boolean;
  choices?: string[];
  /** Parse the raw string (e.g. Number); validation errors should be DlkitErrors. */
  parse?: 'int' | 'float' | 'string' | 'list';
}

export interface CliIO {
  /** Human output (stdout); suppressed in --json mode. */
  log(message: string): void;
  json: boolean;
}

export interface CliVerb {
  name: string;
  description: string;
  /** Positional arguments, commander syntax: '<file>', '[files...]' */
  args?: string[];
  options?: CliOption[];
  /** Returns the result object; with --json the CLI prints it as the last stdout line. */
  run(args: string[], options: Record<string, unknown>, io: CliIO): Promise<Record<string, unknown>>;
}

export interface TaskCli {
  /** The subcommand: `dlkit <command> <verb>` (e.g. 'vision'). */
  command: string;
  description: string;
  verbs: CliVerb[];
}

export interface TaskDefinition<TOptions = Record<string, unknown>, TInstance = unknown> {
  id: string;
  aliases?: string[];
  modality: Modality;
  description: string;
  /** Name of the default pretrained model (a models/ directory or a model manifest id). */
  defaultModel?: string;
  create(options?: TOptions): Promise<TInstance>;
  /** Subcommands this task adds to the `dlkit` CLI. Several tasks may share one command. */
  cli?: TaskCli;
}

const tasks = new Map<string, TaskDefinition>();
const aliases = new Map<string, string>();

export function registerTask<TOptions, TInstance>(task: TaskDefinition<TOptions, TInstance>): void {
  const def = task as unknown as TaskDefinition;
  const existing = tasks.get(def.id);
  // Re-registering the same definition (module loaded twice in tests) is harmless.
  if (existing && existing !== def && existing.create !== def.create) {
    throw new DlkitError('STATE', `Task "${def.id}" is already registered by another package.`);
  }
  tasks.set(def.id, def);
  for (const a of def.aliases ?? []) aliases.set(a, def.id);
}

export function getTask(idOrAlias: string): TaskDefinition {
  const id = aliases.get(idOrAlias) ?? idOrAlias;
  const t = tasks.get(id);
  if (!t) {
    const known = [...tasks.keys()].sort().join(', ') || '(none registered: import a task package first)';
    throw new DlkitError('NOT_FOUND', `Unknown task "${idOrAlias}". Known tasks: ${known}.`);
  }
  return t;
}

export function listTasks(): TaskDefinition[] {
  return [...tasks.values()].sort((a, b) => a.id.localeCompare(b.id));
}
