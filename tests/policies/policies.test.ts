/** The policies' rules on their own (api/policies); the routes that use them are tested in tests/auth. */
import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { authorize, type RoleAction } from '../../api/policies/authorize';
import { actingUserIdFor, principalOrThrow, type Caller } from '../../api/policies/caller';
import { mayActFor } from '../../api/policies/ownership';
import type { Role } from '../../domain/roles';

const as = (role: Role, userId = `${role}-1`, authRequired = true): Caller => ({ principal: { userId, role }, authRequired });
const anonymous = (authRequired: boolean): Caller => ({ principal: undefined, authRequired });

/** The error code a call throws, or 'allowed'. */
function outcome(call: () => unknown): string {
  try {
    call();
    return 'allowed';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe('mayActFor: who may act on something a buyer owns', () => {
  test('a buyer on their own only; staff and admin on anyone’s', () => {
    assert.equal(mayActFor(as('buyer', 'alice'), 'alice'), true);
    assert.equal(mayActFor(as('buyer', 'alice'), 'bob'), false);
    assert.equal(mayActFor(as('staff'), 'bob'), true);
    assert.equal(mayActFor(as('admin'), 'bob'), true);
  });

  test('without a token: no one where auth is required, anyone where it is off (development)', () => {
    assert.equal(mayActFor(anonymous(true), 'bob'), false);
    assert.equal(mayActFor(anonymous(false), 'bob'), true);
  });

  test('a buyer’s token limits them to their own even where auth is off', () => {
    assert.equal(mayActFor(as('buyer', 'alice', false), 'bob'), false);
  });
});

describe('authorize: role-based actions', () => {
  const actions: RoleAction[] = ['event:create', 'ticket:checkIn', 'payment:read', 'payment:refund'];

  test('with auth required: staff and admin may, a buyer gets FORBIDDEN, no token UNAUTHENTICATED', () => {
    for (const action of actions) {
      assert.equal(outcome(() => authorize(as('staff'), action)), 'allowed', action);
      assert.equal(outcome(() => authorize(as('admin'), action)), 'allowed', action);
      assert.equal(outcome(() => authorize(as('buyer'), action)), 'FORBIDDEN', action);
      assert.equal(outcome(() => authorize(anonymous(true), action)), 'UNAUTHENTICATED', action);
    }
  });

  test('with auth off (development) nothing is enforced', () => {
    for (const action of actions) {
      assert.equal(outcome(() => authorize(anonymous(false), action)), 'allowed', action);
      assert.equal(outcome(() => authorize(as('buyer', 'b', false), action)), 'allowed', action);
    }
  });
});

describe('actingUserIdFor: whom a buyer request acts for', () => {
  test('a buyer acts as themselves; naming another user is FORBIDDEN', () => {
    assert.equal(actingUserIdFor(as('buyer', 'alice'), undefined), 'alice');
    assert.equal(actingUserIdFor(as('buyer', 'alice'), 'alice'), 'alice');
    assert.equal(outcome(() => actingUserIdFor(as('buyer', 'alice'), 'bob')), 'FORBIDDEN');
  });

  test('staff may act for anyone', () => {
    assert.equal(actingUserIdFor(as('staff', 'gate-1'), 'bob'), 'bob');
    assert.equal(actingUserIdFor(as('staff', 'gate-1'), undefined), 'gate-1');
  });

  test('without a token: UNAUTHENTICATED where auth is required; the named user, required, where it is off', () => {
    assert.equal(outcome(() => actingUserIdFor(anonymous(true), 'bob')), 'UNAUTHENTICATED');
    assert.equal(actingUserIdFor(anonymous(false), 'bob'), 'bob');
    assert.equal(outcome(() => actingUserIdFor(anonymous(false), undefined)), 'VALIDATION_FAILED');
  });

  test('principalOrThrow: "me" needs a token, auth on or off', () => {
    assert.equal(outcome(() => principalOrThrow(anonymous(false))), 'UNAUTHENTICATED');
    assert.deepEqual(principalOrThrow(as('buyer', 'alice')), { userId: 'alice', role: 'buyer' });
  });
});
