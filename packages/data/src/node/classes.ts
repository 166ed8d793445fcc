import { DlkitError } from '@dlkit/core';

export interface ClassGrouping<T> {
  classes: string[];
  items: { item: T; label: number; name: string }[];
  classCounts: Record<string, number>;
}

export interface GroupOptions {
  /** Fix the class order (and reject unknown class folders). Default: sorted folder names. */
  classes?: string[];
  /** Keep only the first N files per class, by file name. */
  maxPerClass?: number;
}

/**
 * The `<class>/<file>` convention shared by image/text/audio folders and archives. Input keys are
 * relative paths `class/file`; files are sorted by name so "first N per class" is well defined.
 */
export function groupByClass<T>(entries: { rel: string; item: T }[], where: string, options: GroupOptions = {}): ClassGrouping<T> {
  const byClass = new Map<string, { rel: string; item: T }[]>();
  for (const e of entries) {
    const slash = e.rel.indexOf('/');
    const cls = e.rel.slice(0, slash);
    let list = byClass.get(cls);
    if (!list) {
      list = [];
      byClass.set(cls, list);
    }
    list.push(e);
  }
  const classes = options.classes ?? [...byClass.keys()].sort();
  if (options.classes) {
    const unknown = [...byClass.keys()].filter((c) => !options.classes!.includes(c));
    if (unknown.length) {
      throw new DlkitError('INVALID_INPUT', `${where} has class folders not in the class list: ${unknown.join(', ')}.`, {
        hint: `Expected only: ${options.classes.join(', ')}.`,
        details: { where, unknown },
      });
    }
  }
  if (classes.length === 0) {
    throw new DlkitError('NOT_FOUND', `${where} contains no <class>/<file> entries.`, { hint: 'Lay files out as root/<class>/<file>.', details: { where } });
  }
  const items: ClassGrouping<T>['items'] = [];
  const classCounts: Record<string, number> = {};
  classes.forEach((cls, label) => {
    let list = (byClass.get(cls) ?? []).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    if (options.maxPerClass !== undefined) list = list.slice(0, options.maxPerClass);
    classCounts[cls] = list.length;
    for (const e of list) items.push({ item: e.item, label, name: e.rel });
  });
  return { classes, items, classCounts };
}
