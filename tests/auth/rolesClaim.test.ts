/** Which role an identity provider's token gives, from the claim AUTH_ROLES_CLAIM names. */
import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { roleFromClaim } from '../../api/auth/rolesClaim';

describe('roles from a provider’s claim', () => {
  test('Keycloak: a dotted path into nested claims (realm_access.roles)', () => {
    assert.equal(roleFromClaim({ realm_access: { roles: ['offline_access', 'staff'] } }, 'realm_access.roles'), 'staff');
  });

  test('Auth0: a namespaced URL claim, dots and all, read as one name', () => {
    const claim = 'https://seatflow.example.com/roles';
    assert.equal(roleFromClaim({ [claim]: ['admin'] }, claim), 'admin');
  });

  test('Cognito: cognito:groups', () => {
    assert.equal(roleFromClaim({ 'cognito:groups': ['Staff'] }, 'cognito:groups'), 'staff');
  });

  test('a string claim, one role or several separated by spaces or commas', () => {
    assert.equal(roleFromClaim({ roles: 'staff' }, 'roles'), 'staff');
    assert.equal(roleFromClaim({ scope: 'openid profile admin' }, 'scope'), 'admin');
    assert.equal(roleFromClaim({ roles: 'buyer,staff' }, 'roles'), 'staff');
  });

  test('the strongest known role wins, whatever the order', () => {
    assert.equal(roleFromClaim({ roles: ['admin', 'buyer', 'staff'] }, 'roles'), 'admin');
    assert.equal(roleFromClaim({ roles: ['staff', 'ADMIN'] }, 'roles'), 'admin');
  });

  test('no claim, no known role, or values that are not strings: a buyer', () => {
    assert.equal(roleFromClaim({}, 'roles'), 'buyer');
    assert.equal(roleFromClaim({ roles: ['superuser', 'offline_access'] }, 'roles'), 'buyer');
    assert.equal(roleFromClaim({ roles: [{ name: 'admin' }, 7, null] }, 'roles'), 'buyer');
    assert.equal(roleFromClaim({ roles: { admin: true } }, 'roles'), 'buyer');
    assert.equal(roleFromClaim({ realm_access: ['admin'] }, 'realm_access.roles'), 'buyer');
    assert.equal(roleFromClaim({ realm_access: { roles: ['admin'] } }, 'realm_access.roles.extra'), 'buyer');
  });

  test('the path is not read through inherited properties', () => {
    assert.equal(roleFromClaim({ roles: ['staff'] }, 'constructor.name'), 'buyer');
    assert.equal(roleFromClaim({ roles: ['staff'] }, '__proto__'), 'buyer');
  });
});
