// Reads a running edge's /metrics: the Prometheus text exposition as a map from series
// (name plus label set, as printed) to value, and sums over series selected by name and labels.

export type Exposition = Map<string, number>;

export interface Scrape {
  text: string;
  series: Exposition;
}

export function parseExposition(text: string): Exposition {
  const out: Exposition = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

export async function scrape(httpPort: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  return { text, series: parseExposition(text) };
}

/** Sum of the series named `name` whose labels include every `key="value"` of `labels`. */
export function total(series: Exposition, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const [key, value] of series) {
    const brace = key.indexOf('{');
    if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue;
    if (wanted.every((w) => key.includes(w))) sum += value;
  }
  return sum;
}

/** True when a series of that name exists (with any labels). */
export function present(series: Exposition, name: string): boolean {
  for (const key of series.keys()) if (key === name || key.startsWith(name + '{')) return true;
  return false;
}
