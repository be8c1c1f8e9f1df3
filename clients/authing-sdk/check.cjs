// Drives the unmodified Authing JavaScript SDK (authing-js-sdk 4.23.55,
// pinned in package-lock.json) against a live usergraph: every management
// method of ../../../shared/authing/PROTOCOL.md that has a native
// counterpart, asserting the values that come back, the error codes of
// the error paths, and that what the SDK writes is what the native API
// (/graphql) reads. Passwords take the SDK's default path: RSA-encrypted
// with the key from /api/v2/.well-known.
//
//   USERGRAPH_URL=http://127.0.0.1:8080 USERGRAPH_POOL_ID=… USERGRAPH_SECRET=… npm test
'use strict';
const assert = require('node:assert/strict');
const { ManagementClient } = require('authing-js-sdk');

const host = (process.env.USERGRAPH_URL || '').replace(/\/graphql\/?$/, '');
const userPoolId = process.env.USERGRAPH_POOL_ID;
const secret = process.env.USERGRAPH_SECRET;
if (!host || !userPoolId || !secret) {
  console.error('set USERGRAPH_URL (the server, e.g. http://127.0.0.1:8080), USERGRAPH_POOL_ID and USERGRAPH_SECRET');
  process.exit(2);
}

const mc = new ManagementClient({ userPoolId, secret, host });
const tag = Date.now().toString(36);
let passed = 0;

async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    console.error(`FAIL ${name}`);
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  }
}

// rejects awaits p and returns what it threw, which must carry code: the
// SDK's default onError throws {code, message} with the server's number.
async function rejects(p, code) {
  let thrown;
  try {
    await p;
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `expected an error with code ${code}`);
  assert.equal(thrown.code, code, `code of ${JSON.stringify(thrown)}`);
  assert.equal(typeof thrown.message, 'string');
  return thrown;
}

// nativeToken and native talk to the native API, to check that what the
// SDK wrote is what an admin console reads.
let nativeTokenValue;
async function native(query, variables = {}) {
  if (!nativeTokenValue) {
    const r = await post('/graphql', { query: 'query($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }', variables: { p: userPoolId, s: secret } });
    nativeTokenValue = r.data.accessToken.accessToken;
  }
  const r = await post('/graphql', { query, variables }, nativeTokenValue);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data;
}

async function post(path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(host + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return res.json();
}

const verify = async (id, password) =>
  (await native('mutation($id: ID!, $p: String!) { verifyPassword(userId: $id, password: $p) }', { id, p: password })).verifyPassword;

const BCRYPT_HASH = '$2a$04$/gE221ufis861N.rwglqme1eTC3M4bGJo/Fz22o/W5zB9dAYDFY2q'; // of Migr4ted!pass

(async () => {
  const aliceEmail = `alice.${tag}@example.com`;
  let alice, bob, carol;

  // ---- users
  await step('users.create (password RSA-encrypted by the SDK)', async () => {
    alice = await mc.users.create({
      username: `alice_${tag}`, email: aliceEmail.toUpperCase(), phone: `138${String(Date.now()).slice(-8)}`,
      password: 'Passw0rd!alice', nickname: 'Alice', company: 'Example Inc', givenName: 'Alice',
      familyName: 'Liddell', gender: 'F', website: 'https://alice.example.com', externalId: `ext-${tag}`,
    });
    assert.equal(alice.username, `alice_${tag}`);
    assert.equal(alice.email, aliceEmail, 'emails are stored lower-cased');
    assert.equal(alice.nickname, 'Alice');
    assert.equal(alice.gender, 'F');
    assert.equal(alice.userPoolId, userPoolId);
    assert.equal(alice.arn, `arn:cn:authing:${userPoolId}:user:${alice.id}`);
    assert.equal(alice.status, 'Activated');
    assert.equal(alice.blocked, false);
    assert.equal(alice.isDeleted, false);
    assert.equal(alice.password, null, 'a stored password is never returned');
    assert.match(alice.createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(await verify(alice.id, 'Passw0rd!alice'), true, 'the decrypted password was hashed');
  });

  await step('users.create with keepPassword and resetPasswordOnFirstLogin (an existing bcrypt hash)', async () => {
    bob = await mc.users.create({ email: `bob.${tag}@example.com`, password: BCRYPT_HASH }, { keepPassword: true, resetPasswordOnFirstLogin: true });
    assert.equal(bob.email, `bob.${tag}@example.com`);
    assert.equal(await verify(bob.id, 'Migr4ted!pass'), true, 'the kept hash verifies its password');
    const n = await native('query($id: ID!) { user(id: $id) { resetPasswordOnNextLogin } }', { id: bob.id });
    assert.equal(n.user.resetPasswordOnNextLogin, true);
    carol = await mc.users.create({ username: `carol_${tag}`, nickname: 'Carol' });
  });

  await step('users.update (nickname, company, RSA-encrypted password)', async () => {
    const u = await mc.users.update(alice.id, { nickname: 'Al', company: 'New Co', password: 'NewPassw0rd!' });
    assert.equal(u.nickname, 'Al');
    assert.equal(u.company, 'New Co');
    assert.equal(u.givenName, 'Alice', 'fields not given are unchanged');
    assert.equal(u.expiredAt, null);
    assert.equal(await verify(alice.id, 'NewPassw0rd!'), true);
    assert.equal(await verify(alice.id, 'Passw0rd!alice'), false);
  });

  await step('users.detail (REST)', async () => {
    const u = await mc.users.detail(alice.id);
    assert.equal(u.id, alice.id);
    assert.equal(u.nickname, 'Al');
    assert.equal(u.identities.length, 0);
  });

  await step('users.list', async () => {
    const page = await mc.users.list(1, 100);
    assert.ok(page.totalCount >= 3);
    assert.ok(page.list.some(u => u.id === alice.id && u.email === aliceEmail));
    const small = await mc.users.list(1, 1);
    assert.equal(small.list.length, 1);
  });

  await step('users.search, and the native searchUsers finds what the SDK created', async () => {
    const r = await mc.users.search(`alice_${tag}`);
    assert.equal(r.totalCount, 1);
    assert.equal(r.list[0].id, alice.id);
    const n = await native('query($q: String!) { searchUsers(query: $q) { totalCount list { id nickname } } }', { q: `alice_${tag}` });
    assert.deepEqual(n.searchUsers.list, [{ id: alice.id, nickname: 'Al' }]);
  });

  await step('users.find and users.exists', async () => {
    assert.equal((await mc.users.find({ email: aliceEmail })).id, alice.id);
    assert.equal((await mc.users.find({ username: `carol_${tag}` })).id, carol.id);
    assert.equal(await mc.users.find({ username: `nobody_${tag}` }), null);
    assert.equal(await mc.users.exists({ email: aliceEmail }), true);
    assert.equal(await mc.users.exists({ externalId: `ext-${tag}` }), true);
    assert.equal(await mc.users.exists({ username: `nobody_${tag}` }), false);
  });

  await step('users.batch (REST) by id and by email', async () => {
    const byID = await mc.users.batch([alice.id, bob.id, 'no-such-id']);
    assert.deepEqual(byID.map(u => u.id).sort(), [alice.id, bob.id].sort());
    const byEmail = await mc.users.batch([aliceEmail.toUpperCase()], { queryField: 'email' });
    assert.deepEqual(byEmail.map(u => u.id), [alice.id]);
  });

  await step('users.filter (REST, no filter)', async () => {
    const r = await mc.users.filter({ page: 1, limit: 2, filter: [] });
    assert.equal(r.list.length, 2);
    assert.ok(r.totalCount >= 3);
  });

  await step('error paths: unknown user 404, duplicate email 409, bad input 400', async () => {
    await rejects(mc.users.detail('no-such-user'), 404);
    await rejects(mc.users.update('no-such-user', { nickname: 'x' }), 404);
    await rejects(mc.users.create({ email: aliceEmail }), 409);
    const e = await rejects(mc.users.create({ email: 'not an email' }), 400);
    assert.match(e.message, /email/);
  });

  // ---- roles
  const editor = `editor_${tag}`, viewer = `viewer_${tag}`;
  await step('roles.create, detail, list, update', async () => {
    const r = await mc.roles.create(editor, 'Editors');
    assert.equal(r.code, editor);
    assert.equal(r.namespace, 'default');
    assert.equal(r.description, 'Editors');
    assert.equal(r.parent, null);
    assert.equal(r.arn, `arn:cn:authing:${userPoolId}:role:default:${editor}`);
    await mc.roles.create(viewer, 'Viewers', 'default');
    assert.equal((await mc.roles.detail(editor)).description, 'Editors');
    const list = await mc.roles.list({ page: 1, limit: 100 });
    assert.ok(list.list.some(x => x.code === editor) && list.list.some(x => x.code === viewer));
    assert.equal((await mc.roles.update(editor, { description: 'Edit all' })).description, 'Edit all');
    await rejects(mc.roles.create(editor), 409);
  });

  await step('roles.addUsers, listUsers, removeUsers; users.addRoles, listRoles, hasRole, removeRoles', async () => {
    await mc.roles.addUsers(editor, [alice.id, bob.id]);
    let users = await mc.roles.listUsers(editor);
    assert.equal(users.totalCount, 2);
    assert.deepEqual(users.list.map(u => u.id).sort(), [alice.id, bob.id].sort());
    await mc.roles.removeUsers(editor, [bob.id]);
    users = await mc.roles.listUsers(editor);
    assert.deepEqual(users.list.map(u => u.id), [alice.id]);

    await mc.users.addRoles(bob.id, [viewer, editor]);
    let roles = await mc.users.listRoles(bob.id);
    assert.deepEqual(roles.list.map(r => r.code).sort(), [editor, viewer].sort());
    assert.equal(await mc.users.hasRole(bob.id, viewer), true);
    await mc.users.removeRoles(bob.id, [viewer, editor]);
    roles = await mc.users.listRoles(bob.id);
    assert.equal(roles.totalCount, 0);
    assert.equal(await mc.users.hasRole(bob.id, viewer), false);
    await rejects(mc.users.addRoles(bob.id, [`missing_${tag}`]), 404);
  });

  // ---- groups
  const staff = `staff_${tag}`, guests = `guests_${tag}`;
  await step('groups.create, detail, list, update', async () => {
    const g = await mc.groups.create(staff, 'Staff', 'All staff');
    assert.deepEqual([g.code, g.name, g.description], [staff, 'Staff', 'All staff']);
    await mc.groups.create(guests, 'Guests');
    assert.equal((await mc.groups.detail(staff)).name, 'Staff');
    const list = await mc.groups.list(1, 100);
    assert.ok(list.list.some(x => x.code === staff) && list.list.some(x => x.code === guests));
    const u = await mc.groups.update(staff, { name: 'Staff+', description: 'Everyone' });
    assert.deepEqual([u.name, u.description], ['Staff+', 'Everyone']);
  });

  await step('groups.addUsers, listUsers, removeUsers; users.addGroup, listGroups, removeGroup', async () => {
    await mc.groups.addUsers(staff, [alice.id, carol.id]);
    let users = await mc.groups.listUsers(staff);
    assert.deepEqual(users.list.map(u => u.id).sort(), [alice.id, carol.id].sort());
    await mc.groups.removeUsers(staff, [carol.id]);
    users = await mc.groups.listUsers(staff);
    assert.deepEqual(users.list.map(u => u.id), [alice.id]);

    await mc.users.addGroup(bob.id, guests);
    let groups = await mc.users.listGroups(bob.id);
    assert.deepEqual(groups.list.map(g => g.code), [guests]);
    await mc.users.removeGroup(bob.id, guests);
    groups = await mc.users.listGroups(bob.id);
    assert.equal(groups.totalCount, 0);
  });

  // ---- custom fields
  await step('udf.set, udf.list', async () => {
    const f = await mc.udf.set('USER', 'license', 'STRING', 'License');
    assert.deepEqual([f.targetType, f.key, f.dataType, f.label], ['USER', 'license', 'STRING', 'License']);
    await mc.udf.set('USER', 'age', 'NUMBER', 'Age');
    await mc.udf.set('USER', 'since', 'DATETIME', 'Since');
    const list = await mc.udf.list('USER');
    assert.deepEqual(list.map(x => x.key).filter(k => ['license', 'age', 'since'].includes(k)).sort(), ['age', 'license', 'since']);
  });

  await step('users.setUdfValue, getUdfValue, detail(withCustomData), list(withCustomData)', async () => {
    const since = new Date('2024-05-06T07:08:09Z');
    await mc.users.setUdfValue(alice.id, { license: 'MIT', age: 20, since });
    const v = await mc.users.getUdfValue(alice.id);
    assert.equal(v.license, 'MIT');
    assert.equal(v.age, 20);
    assert.equal(new Date(v.since).toISOString(), since.toISOString());
    const u = await mc.users.detail(alice.id, { withCustomData: true });
    assert.equal(u.customData.license, 'MIT');
    assert.equal(u.customData.age, 20);
    const page = await mc.users.list(1, 10, { withCustomData: true }); // newest first: alice is among the last ten created
    const listed = page.list.find(x => x.id === alice.id);
    assert.equal(listed.customData.age, 20);
    const n = await native('query($id: ID!) { udfValue(userId: $id) }', { id: alice.id });
    assert.equal(n.udfValue.age, 20, 'the native API reads the number the SDK sent');
    await rejects(mc.users.setUdfValue(alice.id, { age: 'old' }), 400);
  });

  await step('users.find and users.search with custom data, search by fields and by group and role', async () => {
    const found = await mc.users.find({ email: aliceEmail, withCustomData: true });
    assert.equal(found.customData.age, 20);
    const r = await mc.users.search(`alice_${tag}`, { fields: ['username'], withCustomData: true });
    assert.deepEqual(r.list.map(u => [u.id, u.customData.license]), [[alice.id, 'MIT']]);
    const none = await mc.users.search(`alice_${tag}`, { fields: ['email'] });
    assert.equal(none.totalCount, 0, 'the username is not searched when only email is');
    const inGroup = await mc.users.search(tag, { groupOpts: [{ code: staff }] });
    assert.deepEqual(inGroup.list.map(u => u.id), [alice.id]);
    const inRole = await mc.users.search(tag, { roleOpts: [{ code: editor }] });
    assert.deepEqual(inRole.list.map(u => u.id), [alice.id]);
    const inDept = await mc.users.search(tag, { departmentOpts: [{ departmentId: 'd1' }] });
    assert.equal(inDept.totalCount, 0, 'no departments here');
  });

  await step('users.setUdfValueBatch, getUdfValueBatch; udf.setUdvBatch, listUdv; users.removeUdfValue', async () => {
    await mc.users.setUdfValueBatch([{ userId: bob.id, data: { age: 30, license: 'GPL' } }, { userId: carol.id, data: { age: 40 } }]);
    const batch = await mc.users.getUdfValueBatch([alice.id, bob.id, carol.id]);
    assert.equal(batch[alice.id].license, 'MIT');
    assert.equal(batch[bob.id].age, 30);
    assert.equal(batch[bob.id].license, 'GPL');
    assert.equal(batch[carol.id].age, 40);
    await mc.udf.setUdvBatch('USER', carol.id, [{ key: 'license', value: 'BSD' }]);
    const udv = await mc.udf.listUdv('USER', carol.id);
    assert.deepEqual(udv.map(x => [x.key, x.value]).sort(), [['age', 40], ['license', 'BSD']]);
    await mc.users.removeUdfValue(alice.id, 'license');
    const v = await mc.users.getUdfValue(alice.id);
    assert.equal(v.license, undefined);
    assert.equal(v.age, 20);
  });

  await step('roles.setUdfValue, getUdfValue, removeUdfValue (ROLE custom fields, by role id)', async () => {
    await mc.udf.set('ROLE', 'level', 'NUMBER', 'Level');
    const role = await mc.roles.detail(editor);
    await mc.roles.setUdfValue(role.id, { level: 3 });
    assert.deepEqual(await mc.roles.getUdfValue(role.id), { level: 3 });
    await mc.roles.removeUdfValue(role.id, 'level');
    assert.deepEqual(await mc.roles.getUdfValue(role.id), {});
    await rejects(mc.roles.setUdfValue(role.id, { level: 'high' }), 400);
  });

  await step('udf.remove', async () => {
    await mc.udf.remove('USER', 'since');
    const list = await mc.udf.list('USER');
    assert.ok(!list.some(x => x.key === 'since'));
  });

  // ---- resources and grants
  const books = `books_${tag}`;
  await step('acl.createNamespace, listNamespaces (REST)', async () => {
    const ns = await mc.acl.createNamespace(`app_${tag}`, 'App One', 'demo namespace');
    assert.equal(ns.code, `app_${tag}`);
    const list = await mc.acl.listNamespaces(1, 100);
    assert.ok(list.list.some(x => x.code === `app_${tag}`));
  });

  await step('acl.createResource, listResources, getResourceByCode (REST)', async () => {
    const r = await mc.acl.createResource({
      code: books, type: 'DATA', description: 'Book records', namespace: 'default',
      actions: [{ name: 'books:read', description: 'read' }, { name: 'books:write', description: 'write' }],
    });
    assert.equal(r.code, books);
    assert.deepEqual(r.actions.map(a => a.name), ['books:read', 'books:write']);
    const list = await mc.acl.listResources({ namespace: 'default', limit: 10, page: 1 });
    assert.ok(list.list.some(x => x.code === books));
    const detail = await mc.acl.getResourceByCode({ namespace: 'default', code: books });
    assert.equal(detail.description, 'Book records');
  });

  await step('acl.authorizeResource, listAuthorizedResources (role, user), isAllowed, allow', async () => {
    await mc.acl.authorizeResource({ namespace: 'default', resource: books, opts: [{ targetType: 'ROLE', targetIdentifier: editor, actions: ['books:read'] }] });
    const byRole = await mc.acl.listAuthorizedResources('ROLE', editor, 'default');
    assert.deepEqual(byRole.list.map(x => [x.code, x.actions]), [[books, ['books:read']]]);
    const roleRes = await mc.roles.listAuthorizedResources(editor, 'default');
    assert.deepEqual(roleRes.list.map(x => x.code), [books]);
    const userRes = await mc.users.listAuthorizedResources(alice.id, 'default');
    assert.ok(userRes.list.some(x => x.code === books && x.actions.includes('books:read')), 'alice holds it through her role');
    const viaACL = await mc.acl.listAuthorizedResources('USER', alice.id, 'default');
    assert.ok(viaACL.list.some(x => x.code === books));
    const dataOnly = await mc.users.listAuthorizedResources(alice.id, 'default', { resourceType: 'API' });
    assert.equal(dataOnly.list.length, 0);
    assert.equal(await mc.acl.isAllowed(alice.id, books, 'books:read', { namespace: 'default' }), true);
    assert.equal(await mc.acl.isAllowed(alice.id, books, 'books:write', { namespace: 'default' }), false);
    assert.equal(await mc.acl.isAllowed(bob.id, `${books}:42`, 'books:write', { namespace: 'default' }), false);
    await mc.acl.allow(bob.id, `${books}:42`, 'books:write', 'default');
    assert.equal(await mc.acl.isAllowed(bob.id, `${books}:42`, 'books:write', { namespace: 'default' }), true);
    await rejects(mc.acl.authorizeResource({ namespace: 'default', resource: books, opts: [{ targetType: 'ROLE', targetIdentifier: editor, actions: ['books:fly'] }] }), 400);
  });

  await step('acl.revokeResource, deleteResource (REST)', async () => {
    await mc.acl.revokeResource({ namespace: 'default', resource: books, opts: [{ targetType: 'ROLE', targetIdentifier: editor }] });
    assert.equal(await mc.acl.isAllowed(alice.id, books, 'books:read', { namespace: 'default' }), false);
    assert.equal(await mc.acl.deleteResource(books, 'default'), true);
    assert.equal(await mc.acl.getResourceByCode({ namespace: 'default', code: books }), null);
  });

  // ---- tokens and sessions
  await step('users.refreshToken, users.checkLoginStatus, checkLoginStatus(token), users.kick', async () => {
    const t = await mc.users.refreshToken(alice.id);
    assert.ok(t.token && t.exp > t.iat);
    assert.equal((await mc.users.checkLoginStatus(alice.id)).isLogin, true);
    assert.equal((await mc.checkLoginStatus(t.token)).id, alice.id, 'the token carries data.id');
    const detail = await mc.checkLoginStatus(t.token, { fetchUserDetail: true });
    assert.equal(detail.id, alice.id);
    assert.equal((await mc.users.checkLoginStatus(bob.id)).isLogin, false, 'bob never got a token');
    await mc.users.kick([alice.id]);
    assert.equal((await mc.users.checkLoginStatus(alice.id)).isLogin, false);
    const n = await native('query($t: String!) { checkLoginStatus(token: $t) { code } }', { t: t.token });
    assert.equal(n.checkLoginStatus.code, 'REVOKED', 'the native API sees the kick');
    await mc.users.refreshToken(bob.id);
    assert.equal((await mc.users.checkLoginStatus(bob.id)).isLogin, true);
    await mc.users.logout({ userId: bob.id });
    assert.equal((await mc.users.checkLoginStatus(bob.id)).isLogin, false, 'logout revokes the tokens');
  });

  await step('users.listArchivedUsers (archived through the native API), users.listDepartment (none here)', async () => {
    await native('mutation($id: ID!) { archiveUser(id: $id) { id } }', { id: carol.id });
    const archived = await mc.users.listArchivedUsers(1, 100);
    assert.ok(archived.list.some(u => u.id === carol.id && u.isDeleted === true && u.status === 'Archived'));
    const depts = await mc.users.listDepartment(alice.id);
    assert.deepEqual(depts, { totalCount: 0, list: [] });
  });

  // ---- deletes
  await step('roles.delete, roles.deleteMany, groups.delete, groups.deleteMany', async () => {
    await mc.roles.delete(viewer);
    await mc.roles.deleteMany([editor]);
    assert.equal(await mc.roles.detail(editor), null);
    await mc.groups.delete(guests);
    await mc.groups.deleteMany([staff]);
    assert.equal(await mc.groups.detail(staff), null);
    await rejects(mc.groups.deleteMany([staff]), 404);
  });

  await step('users.delete, users.deleteMany', async () => {
    await mc.users.delete(bob.id);
    assert.equal(await mc.users.find({ email: `bob.${tag}@example.com` }), null);
    await rejects(mc.users.deleteMany([alice.id, 'no-such-user']), 404);
    assert.equal(await mc.users.exists({ email: aliceEmail }), true, 'deleteMany is all or nothing');
    await mc.users.deleteMany([alice.id, carol.id]);
    assert.equal(await mc.users.exists({ email: aliceEmail }), false);
  });

  console.log(`${passed} steps passed: the Authing SDK's management calls work against ${host}`);
})();
