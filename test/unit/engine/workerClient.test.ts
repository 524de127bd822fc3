import assert from 'node:assert/strict';
import { leastBusy } from '../../../src/engine/workerClient';

describe('leastBusy (which worker takes a request)', () => {
  const workers = (...inFlight: number[]) => inFlight.map((n, id) => ({ id, inFlight: n }));

  it('takes the worker with the fewest requests in flight', () => {
    assert.equal(leastBusy(workers(1, 0)).id, 1);
    assert.equal(leastBusy(workers(2, 3, 1, 2)).id, 2);
  });

  it('takes the first of equally busy workers, so that a lone caller always uses the same one', () => {
    assert.equal(leastBusy(workers(0, 0)).id, 0);
    assert.equal(leastBusy(workers(1, 1, 1)).id, 0);
  });

  it('refuses an empty list', () => {
    assert.throws(() => leastBusy([]), RangeError);
  });
});
