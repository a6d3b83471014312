// Order of forwarding targets: lowest priority first; inside one priority, a weighted random
// permutation (RFC 2782's selection, as Twilio does for origination URLs). Weight 0 entries come
// last within their priority, in the given order.

import type { ForwardTarget } from '../gate/view.ts';

export function orderTargets(targets: readonly ForwardTarget[], random: () => number = Math.random): ForwardTarget[] {
  const byPriority = new Map<number, ForwardTarget[]>();
  for (const t of targets) {
    const list = byPriority.get(t.priority);
    if (list === undefined) byPriority.set(t.priority, [t]);
    else list.push(t);
  }
  const out: ForwardTarget[] = [];
  for (const p of [...byPriority.keys()].sort((a, b) => a - b)) {
    const group = byPriority.get(p)!;
    const weighted = group.filter((t) => t.weight > 0);
    const zero = group.filter((t) => !(t.weight > 0));
    while (weighted.length > 0) {
      let total = 0;
      for (const t of weighted) total += t.weight;
      let pick = random() * total;
      let i = 0;
      for (; i < weighted.length - 1; i++) {
        pick -= weighted[i]!.weight;
        if (pick < 0) break;
      }
      out.push(weighted[i]!);
      weighted.splice(i, 1);
    }
    out.push(...zero);
  }
  return out;
}
