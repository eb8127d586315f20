/**
 * Operation names are chosen by clients, so as a metric label they are kept bounded and free of
 * data: a GraphQL name of at most 64 characters without a run of 5 or more digits (which could be
 * an id, a phone or a national id smuggled into a name) keeps its name, up to `maxDistinct`
 * different names; anything else is "other". No name is "anonymous".
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly maxDistinct = 200) {}

  label(name: string | null | undefined): string {
    if (name === null || name === undefined || name === '') return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || /\d{5,}/.test(name)) return 'other';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.maxDistinct) return 'other';
    this.seen.add(name);
    return name;
  }
}
