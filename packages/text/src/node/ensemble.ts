/**
 * `dlkit sentiment ensemble --members A,B,… --out DIR`: merges trained classifiers into one
 * averaging classifier (see ../ensemble.ts) and records in its card every member's own recipe
 * (commands, wall times) and each member's and the ensemble's validation numbers.
 */
import { basename } from 'node:path';
import { invalidOption } from '@dlkit/core';
import { readModelCard } from '@dlkit/core/node';
import { SentimentClassifier } from '../classifier.js';
import { ensembleClassifiers } from '../ensemble.js';
import { readLabelledText } from './labelled-data.js';

export interface EnsembleCommandOptions {
  members: string[];
  out: string;
  /** Validation data (default: the first member's validation source, e.g. sst2). */
  val?: string;
  command?: string;
  log?: (line: string) => void;
}

export async function ensembleCommand(o: EnsembleCommandOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  if (!Array.isArray(o.members) || o.members.length < 2) throw invalidOption('members', o.members, 'at least two classifier directories, comma-separated');
  const cards = await Promise.all(o.members.map((m) => readModelCard(m)));
  const valSource = o.val ?? ((cards[0]!.extra?.validation as { data?: string } | undefined)?.data);
  const members: SentimentClassifier[] = [];
  try {
    for (const m of o.members) members.push(await SentimentClassifier.load(m));
    const ens = ensembleClassifiers(members);
    try {
      const val = valSource ? await readLabelledText(valSource, ens.labels) : undefined;
      const memberReports = val ? await Promise.all(members.map((m) => m.evaluate(val))) : [];
      const report = val ? await ens.evaluate(val) : undefined;
      memberReports.forEach((r, i) => {
        o.log?.(`member ${o.members[i]}: val_accuracy ${r.accuracy.toFixed(4)}`);
      });
      if (report) o.log?.(`ensemble of ${members.length}: val_accuracy ${report.accuracy.toFixed(4)} val_f1 ${report.f1.toFixed(4)}`);
      const memberInfo = cards.map((c, i) => ({
        dir: o.members[i],
        name: c.name,
        arch: (c.extra?.spec as { arch?: string } | undefined)?.arch,
        dataset: c.dataset,
        training: { command: c.training?.command, wallTimeSeconds: c.training?.wallTimeSeconds },
        recipe: c.extra?.recipe,
        history: c.extra?.history,
        ...(memberReports[i] ? { validationAccuracy: memberReports[i]!.accuracy } : {}),
      }));
      const wall = +((performance.now() - t0) / 1000).toFixed(1);
      await ens.save(o.out, {
        name: basename(o.out),
        metrics: report ? { accuracy: report.accuracy, f1: report.f1, n: report.n, confusion: { matrix: report.confusion, labels: ens.labels } } : undefined,
        dataset: cards[0]!.dataset,
        training: {
          command: o.command,
          wallTimeSeconds: +(wall + cards.reduce((s, c) => s + ((c.training?.wallTimeSeconds as number | undefined) ?? 0), 0)).toFixed(1),
          date: new Date().toISOString(),
        },
        extra: { validation: valSource ? { data: valSource, examples: val?.length } : undefined, ensemble: { combine: 'mean of class probabilities', mergeSeconds: wall, members: memberInfo } },
      });
      return { out: o.out, members: memberInfo.map((m) => ({ dir: m.dir, arch: m.arch, validationAccuracy: m.validationAccuracy })), validation: report ? { accuracy: report.accuracy, f1: report.f1, n: report.n } : undefined };
    } finally {
      ens.dispose();
    }
  } finally {
    for (const m of members) m.dispose();
  }
}
