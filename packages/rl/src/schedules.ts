/** SB3's get_linear_fn: from `start` to `end` over the first `endFraction` of training, then flat. */
export function linearSchedule(start: number, end: number, endFraction: number): (progress: number) => number {
  return (progress) => (progress > endFraction || endFraction <= 0 ? end : start + (progress * (end - start)) / endFraction);
}
