/**
 * The three kinds of number a terminal reports, kept in memory and read out by the Prometheus and OTLP
 * renderers. Labels are a fixed small set of codes (infno, result, state…): never a name, an ID number or
 * anything typed by a person — that is what keeps the metrics free of personal data.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface HistogramSample {
  labels: Labels;
  /** Cumulative counts per upper bound (the same order as `bounds`), then the total count and sum. */
  buckets: number[];
  count: number;
  sum: number;
}

export type Family =
  | { kind: 'gauge'; name: string; help: string; samples: Sample[] }
  | { kind: 'counter'; name: string; help: string; samples: Sample[] }
  | { kind: 'histogram'; name: string; help: string; bounds: number[]; samples: HistogramSample[] };

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

export class Counter {
  private readonly values = new Map<string, Sample>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const s = this.values.get(key) ?? { labels, value: 0 };
    s.value += by;
    this.values.set(key, s);
  }

  family(): Family {
    return { kind: 'counter', name: this.name, help: this.help, samples: [...this.values.values()].map((s) => ({ ...s })) };
  }
}

export class Histogram {
  private readonly values = new Map<string, HistogramSample>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = keyOf(labels);
    const s = this.values.get(key) ?? { labels, buckets: this.bounds.map(() => 0), count: 0, sum: 0 };
    this.bounds.forEach((b, i) => {
      if (value <= b) s.buckets[i]! += 1;
    });
    s.count += 1;
    s.sum += value;
    this.values.set(key, s);
  }

  family(): Family {
    return { kind: 'histogram', name: this.name, help: this.help, bounds: this.bounds, samples: [...this.values.values()].map((s) => ({ ...s, buckets: [...s.buckets] })) };
  }
}

/** A gauge read when metrics are collected (queue depth, store size…): nothing to keep in step. */
export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Sample[],
  ) {}

  family(): Family {
    let samples: Sample[];
    try {
      samples = this.read();
    } catch {
      // A failing source (a closed store) reports no sample rather than a wrong one; health says why.
      samples = [];
    }
    return { kind: 'gauge', name: this.name, help: this.help, samples };
  }
}

export const gauge1 = (value: number | null, labels: Labels = {}): Sample[] => (value === null ? [] : [{ labels, value }]);
