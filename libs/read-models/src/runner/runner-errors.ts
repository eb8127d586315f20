export class ConsistencyTimeoutError extends Error {
  readonly code = 'CONSISTENCY_TIMEOUT';
  constructor(position: number, timeoutMs: number, lagging: string[]) {
    super(
      `Read models did not reach position ${position} within ${timeoutMs} ms (behind: ${lagging.join(', ')}); ` +
        'retry, or query without consistentAfter to accept slightly older data',
    );
    this.name = 'ConsistencyTimeoutError';
  }
}

/** Another runner moved the checkpoint while this batch was applied: roll back, re-read. */
export class CheckpointMovedError extends Error {}
