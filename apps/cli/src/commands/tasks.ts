/**
 * Task subcommands come from the task registry: each task package registers `cli` verbs and
 * this file turns them into `dlkit <command> <verb>` commander commands.
 */

import { type CliOption, invalidOption, listTasks } from '@dlkit/core';
import { type Command, Option } from 'commander';
import type { Output } from '../output.js';

function parser(o: CliOption): ((v: string, prev: unknown) => unknown) | undefined {
  const name = o.flags.split(/[ ,]/).find((f) => f.startsWith('--')) ?? o.flags;
  switch (o.parse) {
    case 'int':
      return (v) => {
        const n = Number(v);
        if (!Number.isInteger(n)) throw invalidOption(name, v, 'an integer');
        return n;
      };
    case 'float':
      return (v) => {
        const n = Number(v);
        if (!Number.isFinite(n)) throw invalidOption(name, v, 'a number');
        return n;
      };
    case 'list':
      return (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return undefined;
  }
}

export function registerTaskCommands(program: Command, out: (cmd: Command) => Output): void {
  const groups = new Map<string, Command>();
  for (const task of listTasks()) {
    if (!task.cli) continue;
    let group = groups.get(task.cli.command);
    if (!group) {
      group = program.command(task.cli.command).description(task.cli.description);
      groups.set(task.cli.command, group);
    }
    for (const verb of task.cli.verbs) {
      const cmd = group.command(verb.name).description(verb.description);
      for (const a of verb.args ?? []) cmd.argument(a);
      for (const o of verb.options ?? []) {
        const opt = new Option(o.flags, o.description);
        if (o.default !== undefined) opt.default(o.default);
        if (o.choices) opt.choices(o.choices);
        const p = parser(o);
        if (p) opt.argParser(p);
        cmd.addOption(opt);
      }
      if (!(verb.options ?? []).some((o) => o.flags.startsWith('--json'))) cmd.option('--json', 'print the result as one JSON line');
      cmd.action(async (...params: unknown[]) => {
        const c = params.at(-1) as Command;
        const args = (params.slice(0, -2) as (string | string[])[]).flat();
        const o = out(c);
        const result = await verb.run(args, c.opts(), { log: o.log, json: o.json });
        o.result(result);
      });
    }
  }
}
