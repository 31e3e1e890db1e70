import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { ServiceError } from '@temporalio/client';
import { isTemporalOverloaded } from '../../api/checkout/temporalOverload';

/** An error shaped as grpc-js shapes a call's failure (code, details, metadata). */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('isTemporalOverloaded', () => {
  test('is true for a gRPC RESOURCE_EXHAUSTED, bare or as the cause of the client error', () => {
    const exhausted = grpcError(8, 'namespace concurrent poller limit exceeded');
    assert.equal(isTemporalOverloaded(exhausted), true);
    assert.equal(isTemporalOverloaded(new ServiceError('Update-with-start failed', { cause: exhausted })), true);
  });

  test('is false for other gRPC codes and for messages that merely mention it', () => {
    assert.equal(isTemporalOverloaded(grpcError(14, 'connection refused')), false);
    assert.equal(isTemporalOverloaded(new Error('RESOURCE_EXHAUSTED: namespace rate limit exceeded')), false);
    assert.equal(isTemporalOverloaded(undefined), false);
  });
});
